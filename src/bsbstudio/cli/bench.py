"""`bsb bench ...`: benchmarks that print figures beside a baseline run in the same process."""

from __future__ import annotations

import importlib

BENCH_MODULES = [
    "bsbstudio.deid.bench",
    "bsbstudio.transcripts.bench",
    "bsbstudio.transcripts.asr.bench",
    "bsbstudio.conference.bench",
    "bsbstudio.analysis.bench",
    "bsbstudio.reports.bench",
    "bsbstudio.loadtest.runner",
    "bsbstudio.loadtest.crash",
]


def register(subparsers) -> None:
    """Add `bsb bench` and each benchmark registered in ``BENCH_MODULES``."""
    parser = subparsers.add_parser("bench", help="run a benchmark against its baseline")
    bench_subparsers = parser.add_subparsers(dest="benchmark", metavar="BENCHMARK")
    for module_name in BENCH_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name and module_name.startswith(error.name):
                continue
            raise
        module.register_bench(bench_subparsers)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)

"""Entry point of the `bsb` command.

Each command group lives beside the code it drives and exposes ``register(subparsers)``,
which adds its parser and sets ``func`` (a callable taking the parsed args and returning an
exit status). The groups are listed once, in ``COMMAND_MODULES``. Benchmarks register
themselves the same way under ``bsb bench`` through ``BENCH_MODULES`` (``register_bench``).
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMAND_MODULES = [
    "bsbstudio.cli.server",
    "bsbstudio.cli.worker",
    "bsbstudio.cli.demo",
    "bsbstudio.cli.retention",
    "bsbstudio.cli.users",
    "bsbstudio.cli.audit",
    "bsbstudio.cli.report",
    "bsbstudio.cli.export",
    "bsbstudio.cli.followup",
    "bsbstudio.cli.guide",
    "bsbstudio.cli.starter",
    "bsbstudio.deid.cli",
    "bsbstudio.transcripts.cli",
    "bsbstudio.cli.transcribe",
    "bsbstudio.conference.cli",
    "bsbstudio.analysis.cli",
    "bsbstudio.exchange.import_cli",
    "bsbstudio.cli.bench",
    "bsbstudio.cli.backup",
]


def build_parser() -> argparse.ArgumentParser:
    """Build the full argument parser with every registered command group."""
    parser = argparse.ArgumentParser(
        prog="bsb",
        description="BSB Studio – Bruker Spør Bruker evaluations from plan to report.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            # A group still being built must not break the others.
            if error.name and module_name.startswith(error.name):
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the `bsb` command and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        status = args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader closed the pipe (`bsb ... | head`): stop quietly, as Unix tools do.
        sys.stderr.close()
        return 141
    return int(status or 0)


if __name__ == "__main__":
    sys.exit(main())

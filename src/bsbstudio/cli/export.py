"""`bsb export matrix|quotes SLUG --out FILE`: the analysis as XLSX (matrix) or CSV (quotes).

The same files as the download buttons on the matrix page, through the same leak guard: while an
identifier nobody has reviewed stands in the quotes, nothing is written and the command exits 3
(a reviewer confirms the findings in the browser). Whoever runs it operates the server; the
audit log says "command line".
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .report import EXIT_NOT_FOUND, EXIT_REFUSED, _write_atomically
from .server import migrate, setup_django


def register(subparsers) -> None:
    """Add `bsb export` with its `matrix` and `quotes` subcommands."""
    parser = subparsers.add_parser("export", help="export the analysis (matrix, quotes)")
    commands = parser.add_subparsers(dest="export_command", metavar="SUBCOMMAND")
    for name, help_text, suffix in (
        ("matrix", "the matrix (counts and quotes) as an Excel workbook", ".xlsx"),
        ("quotes", "the quotes as CSV (semicolons, UTF-8 with BOM)", ".csv"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("slug", help="the evaluation's short name")
        command.add_argument("--out", required=True, type=Path, help=f"file to write ({suffix})")
        command.set_defaults(func=run_export, what=name)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)


def run_export(args: argparse.Namespace) -> int:
    """Write the export; EXIT_REFUSED when the leak guard stops it, EXIT_NOT_FOUND without one."""
    setup_django()
    migrate()
    from bsbstudio.reports import exports

    if args.what == "matrix":
        return export_file(args.slug, args.out, exports.export_matrix)
    return export_file(
        args.slug, args.out, lambda actor, ev: exports.export_quotes(actor, ev).encode("utf-8")
    )


def export_file(slug: str, out: Path, make) -> int:
    """Run ``make(COMMAND_LINE, evaluation)`` and write its bytes to ``out`` whole, or nothing."""
    from django.conf import settings
    from django.utils import translation

    from bsbstudio.evaluations.models import Evaluation
    from bsbstudio.reports.actions import LeakRisk
    from bsbstudio.reports.exports import COMMAND_LINE

    evaluation = Evaluation.objects.filter(slug=slug).first()
    if evaluation is None:
        print(f"No evaluation called {slug!r}.", file=sys.stderr)
        return EXIT_NOT_FOUND
    try:
        with translation.override(settings.LANGUAGE_CODE):  # the files speak the default language
            content = make(COMMAND_LINE, evaluation)
    except LeakRisk as risk:
        print(
            f"Not written: {len(risk.findings)} words that may identify someone have not been "
            "checked. A team member who has signed the confidentiality declaration must check "
            "them in the browser first.",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    _write_atomically(out, content)
    print(f"Wrote {out} ({len(content)} bytes).")
    return 0

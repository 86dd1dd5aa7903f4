"""`bsb export matrix|quotes|display SLUG --out FILE`: the analysis as files.

``matrix`` writes the matrix as an Excel workbook (counts and quotes); with the matrix page's
choices (``--columns``, ``--site``, ``--interview``, ``--group``, ``--polarity``,
``--directness``, ``--sort``, ``--fold``, ``--quotes``) or a .docx name it writes the matrix as
the page shows it (XLSX, or a landscape Word table). ``quotes`` writes the quotes as CSV,
``display`` the 2 x 2 display as DOCX or PDF. The same files as the download buttons, through the
same leak guard: while an identifier nobody has reviewed stands in them, nothing is written and
the command exits 3 (a reviewer confirms the findings in the browser). A bad option is a message
and exit 2. Whoever runs it operates the server; the audit log says "command line".
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .report import EXIT_NOT_FOUND, EXIT_REFUSED, _write_atomically
from .server import migrate, setup_django

EXIT_BAD_OPTION = 2
MATRIX_COLUMNS = ("group", "site", "interview", "polarity")
VIEW_OPTIONS = ("columns", "site", "interview", "group", "polarity", "directness", "sort")


def register(subparsers) -> None:
    """Add `bsb export` with its `matrix`, `quotes` and `display` subcommands."""
    parser = subparsers.add_parser("export", help="export the analysis (matrix, quotes, display)")
    commands = parser.add_subparsers(dest="export_command", metavar="SUBCOMMAND")
    matrix = _command(commands, "matrix", "the matrix as Excel (.xlsx) or Word (.docx)", ".xlsx")
    matrix.add_argument("--columns", choices=MATRIX_COLUMNS, help="what the columns are")
    matrix.add_argument("--site", default="", help="only this site (its name)")
    matrix.add_argument("--interview", default="", help="only this interview (its code)")
    matrix.add_argument("--group", default="", help="only this informant group (its name)")
    matrix.add_argument("--polarity", choices=("positive", "critical", "neutral"))
    matrix.add_argument("--directness", choices=("direct", "indirect"))
    matrix.add_argument("--sort", choices=("count", "critical"), help="order of the themes")
    matrix.add_argument("--fold", action="store_true", help="fold sub-themes into their theme")
    matrix.add_argument("--quotes", action="store_true", help="quotes in the Word table's cells")
    _command(commands, "quotes", "the quotes as CSV (semicolons, UTF-8 with BOM)", ".csv")
    _command(commands, "display", "the 2 x 2 display as Word (.docx) or PDF (.pdf)", ".docx")
    from bsbstudio.exchange.cli import add_export_commands  # qdpx and qdc (REFI-QDA)

    add_export_commands(commands)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)


def _command(commands, name: str, help_text: str, suffix: str):
    command = commands.add_parser(name, help=help_text)
    command.add_argument("slug", help="the evaluation's short name")
    command.add_argument("--out", required=True, type=Path, help=f"file to write ({suffix})")
    command.set_defaults(func=run_export, what=name)
    return command


def run_export(args: argparse.Namespace) -> int:
    """Write the export; EXIT_REFUSED when the leak guard stops it, EXIT_NOT_FOUND without one."""
    suffix = args.out.suffix.lower()
    allowed = {"matrix": (".xlsx", ".docx"), "display": (".docx", ".pdf")}.get(args.what)
    if allowed and suffix not in allowed:
        print(f"Name the file {' or '.join(allowed)}, not {args.out.name!r}.", file=sys.stderr)
        return EXIT_BAD_OPTION
    setup_django()
    migrate()
    from bsbstudio.reports import display_export, exports

    if args.what == "display":
        fmt = suffix.lstrip(".")
        return export_file(
            args.slug, args.out, lambda actor, ev: display_export.export_display(actor, ev, fmt)
        )
    if args.what == "quotes":
        return export_file(
            args.slug, args.out, lambda actor, ev: exports.export_quotes(actor, ev).encode("utf-8")
        )
    as_shown = suffix == ".docx" or args.fold or args.quotes
    if not as_shown and not any(getattr(args, name) for name in VIEW_OPTIONS):
        return export_file(args.slug, args.out, exports.export_matrix)
    return export_file(args.slug, args.out, lambda actor, ev: _matrix_as_shown(args, actor, ev))


def _matrix_as_shown(args: argparse.Namespace, actor, evaluation) -> bytes:
    from bsbstudio.reports import matrix_view_export as view

    state = view.state_from_options(
        evaluation,
        column=args.columns or "group",
        site=args.site,
        interview=args.interview,
        group=args.group,
        polarity=args.polarity,
        directness=args.directness,
        sort=args.sort or "order",
        folded=args.fold,
        quotes=args.quotes,
    )
    if args.out.suffix.lower() == ".docx":
        return view.export_docx(actor, evaluation, state)
    return view.export_xlsx(actor, evaluation, state)


def export_file(slug: str, out: Path, make) -> int:
    """Run ``make(COMMAND_LINE, evaluation)`` and write its bytes to ``out`` whole, or nothing."""
    from django.conf import settings
    from django.utils import translation

    from bsbstudio.errors import UserFacingError
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
    except UserFacingError as error:
        print(f"{error.message} Nothing was written.", file=sys.stderr)
        return EXIT_BAD_OPTION
    _write_atomically(out, content)
    print(f"Wrote {out} ({len(content)} bytes).")
    return 0

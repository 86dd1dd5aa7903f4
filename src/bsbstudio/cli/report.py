"""`bsb report process|partial|final SLUG`: render a report to a file, with the leak guard's checks.

For automation and tests. The report is rendered as it stands now (the working version), in
bokmål unless ``--language en``. Leak-guard findings or quotes from unapproved texts stop the
command with a non-zero exit and the list on stderr; no file is written then.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from .server import migrate, setup_django

EXIT_REFUSED = 3  # the leak guard or a check refused the export
EXIT_NOT_FOUND = 4  # no such evaluation, site or report


def register(subparsers) -> None:
    """Add `bsb report` with one subcommand per report kind."""
    parser = subparsers.add_parser("report", help="write a report to a file")
    kinds = parser.add_subparsers(dest="report_kind", metavar="KIND")
    for kind, help_text in (
        ("process", "a site's process report (prosessrapport)"),
        ("partial", "a site's partial report after its conference (delrapport)"),
        ("final", "the evaluation's final report (sluttrapport)"),
    ):
        sub = kinds.add_parser(kind, help=help_text)
        sub.add_argument("slug", help="the evaluation's short name (as in its web address)")
        if kind in ("process", "partial"):
            sub.add_argument("--site", required=True, help="the site's name")
        sub.add_argument("--format", choices=("docx", "pdf"), default="docx")
        sub.add_argument("--language", choices=("nb", "en"), default="nb")
        sub.add_argument("--out", required=True, type=Path, help="the file to write")
        sub.set_defaults(func=report_command)
    cross_site = kinds.add_parser("cross-site", help="the cross-site tables as an Excel workbook")
    cross_site.add_argument("slug", help="the evaluation's short name (as in its web address)")
    cross_site.add_argument("--out", required=True, type=Path, help="the file to write (.xlsx)")
    cross_site.set_defaults(func=cross_site_command)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)


def report_command(args: argparse.Namespace) -> int:
    """Render the report and write it to ``--out``; return a non-zero status when refused."""
    setup_django()
    migrate()
    from bsbstudio.evaluations.models import Evaluation
    from bsbstudio.reports import actions
    from bsbstudio.reports.models import Report

    evaluation = Evaluation.objects.filter(slug=args.slug).first()
    if evaluation is None:
        print(f"No evaluation called {args.slug!r}.", file=sys.stderr)
        return EXIT_NOT_FOUND
    reports = evaluation.reports.filter(kind=args.report_kind)
    if args.report_kind in (Report.Kind.PROCESS, Report.Kind.PARTIAL):
        reports = reports.filter(site__name=args.site)
    report = reports.first()
    if report is None:
        where = f" for the site {args.site!r}" if args.report_kind != "final" else ""
        print(f"{evaluation.slug} has no {args.report_kind} report{where}.", file=sys.stderr)
        return EXIT_NOT_FOUND
    try:
        content = actions.export_for_command(report, args.format, args.language)
    except actions.LeakRisk as risk:
        print(
            f"The leak guard found {len(risk.findings)} unreviewed identifier(s); nothing was "
            "written. Review them in the browser (Check flagged words):",
            file=sys.stderr,
        )
        for finding in risk.findings:
            print(f"  {finding.label}: {finding.text}", file=sys.stderr)
        return EXIT_REFUSED
    except actions.ReportRefused as refusal:
        print(f"{refusal.message} Nothing was written.", file=sys.stderr)
        return EXIT_REFUSED
    _write_atomically(args.out, content)
    print(f"Wrote {args.out} ({len(content)} bytes).")
    return 0


def _write_atomically(path: Path, content: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it, so no half file is left."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def cross_site_command(args: argparse.Namespace) -> int:
    """Write the cross-site tables (one sheet per table) through the leak guard."""
    setup_django()
    migrate()
    from bsbstudio.reports.cross_site import export_xlsx

    from .export import export_file

    return export_file(args.slug, args.out, export_xlsx)

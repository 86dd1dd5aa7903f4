"""`bsb export qdpx SLUG --out FILE [--site NAME]` and `bsb export qdc SLUG --out FILE`.

The same files as the exchange page's downloads, through the same leak guard and validation:
the file is written whole or not at all. Exit status 3 when the leak guard or a check refuses
(nothing written), 4 when there is no such evaluation or site. Whoever runs it operates the
server: the export holds the team's material, and the audit log says "command line".
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bsbstudio.cli.report import EXIT_NOT_FOUND, EXIT_REFUSED, _write_atomically
from bsbstudio.cli.server import migrate, setup_django


def add_export_commands(commands) -> None:
    """Add `qdpx` and `qdc` to the subcommands of `bsb export`."""
    qdpx = commands.add_parser(
        "qdpx", help="the project for NVivo, MAXQDA, ATLAS.ti, QualCoder (REFI-QDA .qdpx)"
    )
    qdpx.add_argument("slug", help="the evaluation's short name")
    qdpx.add_argument("--out", required=True, type=Path, help="file to write (.qdpx)")
    qdpx.add_argument("--site", help="only this site (its name)")
    qdpx.set_defaults(func=run_exchange_export, what="qdpx")
    qdc = commands.add_parser("qdc", help="the code tree as a REFI-QDA codebook (.qdc)")
    qdc.add_argument("slug", help="the evaluation's short name")
    qdc.add_argument("--out", required=True, type=Path, help="file to write (.qdc)")
    qdc.set_defaults(func=run_exchange_export, what="qdc", site=None)


def run_exchange_export(args: argparse.Namespace) -> int:
    """Write the QDPX or QDC file; EXIT_REFUSED when refused, EXIT_NOT_FOUND without the target."""
    setup_django()
    migrate()
    from django.conf import settings
    from django.utils import translation

    from bsbstudio.evaluations.models import Evaluation
    from bsbstudio.reports.actions import LeakRisk
    from bsbstudio.reports.exports import COMMAND_LINE

    from .codebook_export import ExportRefused, export_codebook
    from .qdpx_export import build_project

    evaluation = Evaluation.objects.filter(slug=args.slug).first()
    if evaluation is None:
        print(f"No evaluation called {args.slug!r}.", file=sys.stderr)
        return EXIT_NOT_FOUND
    site = None
    if args.site is not None:
        site = evaluation.sites.filter(name=args.site).first()
        if site is None:
            names = ", ".join(
                evaluation.sites.order_by("order", "name").values_list("name", flat=True)
            )
            print(f"{evaluation.slug} has no site {args.site!r} (sites: {names}).", file=sys.stderr)
            return EXIT_NOT_FOUND
    try:
        with translation.override(settings.LANGUAGE_CODE):  # the files speak the default language
            if args.what == "qdc":
                content = export_codebook(COMMAND_LINE, evaluation)
            else:
                content = build_project(COMMAND_LINE, evaluation, site)
    except LeakRisk as risk:
        print(
            f"Not written: {len(risk.findings)} words that may identify someone have not been "
            "checked. A team member who has signed the confidentiality declaration must check "
            "them in the browser first (the evaluation's Exchange page).",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    except ExportRefused as refusal:
        print(f"Not written: {refusal.message}", file=sys.stderr)
        return EXIT_REFUSED
    _write_atomically(args.out, content)
    print(f"Wrote {args.out} ({len(content)} bytes).")
    return 0

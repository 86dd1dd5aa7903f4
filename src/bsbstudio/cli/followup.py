"""`bsb export measures SLUG --out FILE.xlsx`: the measures of an evaluation as a spreadsheet.

Writes the same file as the "Download the measures" link, after the same leak guard, and audits
it as done by the system. ``bsb export`` is a group other exports can join (see ``export_group``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .report import EXIT_NOT_FOUND, EXIT_REFUSED
from .server import migrate, setup_django


def export_group(subparsers):
    """The `bsb export` group's subcommands, made on first use so several modules can add to it."""
    parser = subparsers.choices.get("export")
    if parser is None:
        parser = subparsers.add_parser("export", help="export data of an evaluation to a file")
        parser.add_subparsers(dest="export_command", metavar="WHAT")
        parser.set_defaults(func=lambda args: parser.print_help() or 2)
    return next(
        action for action in parser._actions if isinstance(action, argparse._SubParsersAction)
    )


def register(subparsers) -> None:
    """Add `bsb export measures`."""
    measures = export_group(subparsers).add_parser(
        "measures",
        help="the measures (tiltak) and their history as XLSX",
        description="Write the evaluation's measures, one row each, and their status history "
        "to an XLSX file. Stops, writing nothing, if the leak guard finds a name, phone number "
        "or similar in them.",
    )
    measures.add_argument("slug", help="the evaluation's short name")
    measures.add_argument("--out", type=Path, required=True, help="the XLSX file to write")
    measures.set_defaults(func=export_measures_command)


def export_measures_command(args: argparse.Namespace) -> int:
    """Run `bsb export measures`; a message on stderr and a non-zero status when it cannot.

    The statuses are those of `bsb report` and `bsb export matrix`: 3 refused by the leak guard,
    4 no such evaluation, 1 the file could not be written.
    """
    setup_django()
    migrate()
    from django.conf import settings
    from django.utils import translation

    from bsbstudio.errors import UserFacingError
    from bsbstudio.evaluations.models import Evaluation
    from bsbstudio.followup.actions import export_measures

    evaluation = Evaluation.objects.filter(slug=args.slug).first()
    if evaluation is None:
        print(f"bsb export measures: no evaluation called {args.slug!r}", file=sys.stderr)
        return EXIT_NOT_FOUND
    try:
        # In the language the page gives by default (migrate switched translation off).
        with translation.override(settings.LANGUAGE_CODE):
            content = export_measures(None, evaluation)
    except UserFacingError as error:  # the leak guard stopped it: nothing is written
        print(f"bsb export measures: {error.message}", file=sys.stderr)
        return EXIT_REFUSED
    try:
        args.out.write_bytes(content)
    except OSError as error:
        print(f"bsb export measures: cannot write {args.out}: {error.strerror}", file=sys.stderr)
        return 1
    print(f"Wrote {evaluation.measures.count()} measures to {args.out}")
    return 0

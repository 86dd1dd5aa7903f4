"""`bsb conference feedback SLUG N --out FILE.xlsx`: a conference's evaluation-form answers.

Writes the same workbook as the results page's download (answers with direct identifiers in
free text masked, and the summary), and audits it as done by the command.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register_feedback(commands) -> None:
    """Add `bsb conference feedback` to the subcommands of `bsb conference`."""
    from .cli import NUMBER_HELP

    parser = commands.add_parser(
        "feedback",
        help="write a conference's evaluation-form answers and summary as XLSX",
        description="Write the answers to a dialogue conference's evaluation form and their "
        "summary to an XLSX file, the same file as the results page gives. Names and other "
        "direct identifiers found in the free text are masked. The export is audited.",
    )
    parser.add_argument("slug", help="the evaluation's short name (as in its web address)")
    parser.add_argument("number", type=int, metavar="N", help=NUMBER_HELP)
    parser.add_argument("--out", type=Path, required=True, help="the XLSX file to write")
    parser.set_defaults(func=feedback_command)


def feedback_command(args: argparse.Namespace) -> int:
    """Run `bsb conference feedback`; 1 with a message on stderr when it cannot."""
    if args.out.suffix.lower() != ".xlsx":
        print("bsb conference feedback: --out must end in .xlsx", file=sys.stderr)
        return 1
    from bsbstudio.cli.server import migrate, setup_django

    setup_django()
    migrate()
    from django.conf import settings
    from django.utils import translation

    from .cli import find_conference
    from .feedback import export_xlsx_from_command

    try:
        conference = find_conference(args.slug, args.number)
    except LookupError as error:
        print(f"bsb conference feedback: {error}", file=sys.stderr)
        return 1
    with translation.override(settings.LANGUAGE_CODE):  # as the page gives it
        content = export_xlsx_from_command(conference)
    try:
        args.out.write_bytes(content)
    except OSError as error:
        print(
            f"bsb conference feedback: cannot write {args.out}: {error.strerror}", file=sys.stderr
        )
        return 1
    count = conference.feedback_answers.count()
    print(f"{args.out}: {count} evaluation-form answer(s) of “{conference.title}”")
    return 0

"""`bsb conference ...`: export a dialogue conference's files from the command line.

Subcommands register in ``SUBCOMMANDS`` (each a function taking the subparsers of
`bsb conference`), so another export of the conference adds one line here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bsbstudio.conference import slides_cli
from bsbstudio.conference.feedback_cli import register_feedback

NUMBER_HELP = (
    "the conference's number in the evaluation, 1-based, counting its conferences by date "
    "(undated last), then by the order they were created"
)


def find_conference(slug: str, number: int):
    """The evaluation's ``number``-th conference (see NUMBER_HELP); LookupError with a message."""
    from bsbstudio.conference.models import ordered_conferences
    from bsbstudio.evaluations.models import Evaluation

    evaluation = Evaluation.objects.filter(slug=slug).first()
    if evaluation is None:
        raise LookupError(f"no evaluation with the short name {slug!r}")
    conferences = list(ordered_conferences(evaluation))
    if not 1 <= number <= len(conferences):
        raise LookupError(
            f"{evaluation.name} has {len(conferences)} conference(s); "
            f"give a number from 1 to {len(conferences)}"
        )
    return conferences[number - 1]


def _register_minutes(commands) -> None:
    minutes = commands.add_parser(
        "minutes",
        help="write a conference's minutes (referat) as DOCX or PDF",
        description="Write the minutes of a dialogue conference, the same file as the "
        "conference page gives. The leak guard runs first: if the minutes hold words that may "
        "identify someone and nobody has checked them, nothing is written and the command "
        "exits 1. The export is written to the audit log.",
    )
    minutes.add_argument("slug", help="the evaluation's short name (as in its web address)")
    minutes.add_argument("number", type=int, metavar="N", help=NUMBER_HELP)
    minutes.add_argument(
        "--out", type=Path, required=True, help="the file to write: FILE.docx or FILE.pdf"
    )
    minutes.set_defaults(func=minutes_command)


SUBCOMMANDS = [register_feedback, _register_minutes, *slides_cli.SUBCOMMANDS]


def register(subparsers) -> None:
    """Add `bsb conference` and its subcommands."""
    parser = subparsers.add_parser("conference", help="export dialogue conference files")
    commands = parser.add_subparsers(dest="conference_command", metavar="SUBCOMMAND")
    for add in SUBCOMMANDS:
        add(commands)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)


def minutes_command(args: argparse.Namespace) -> int:
    """Run `bsb conference minutes`; return 1 with a message when nothing could be written."""
    fmt = args.out.suffix.lower().lstrip(".")
    if fmt not in ("docx", "pdf"):
        print("bsb conference minutes: --out must end in .docx or .pdf", file=sys.stderr)
        return 1
    from bsbstudio.cli.server import migrate, setup_django

    setup_django()
    migrate()
    from django.utils import translation

    from bsbstudio.conference.actions import export_minutes_from_command
    from bsbstudio.reports.actions import LeakRisk

    try:
        conference = find_conference(args.slug, args.number)
    except LookupError as error:
        print(f"bsb conference minutes: {error}", file=sys.stderr)
        return 1
    with translation.override("nb"):
        try:
            content = export_minutes_from_command(conference, fmt)
        except LeakRisk as risk:
            print(
                f"bsb conference minutes: {len(risk.findings)} word(s) in the minutes may "
                "identify someone; check them on the conference page first. Nothing written.",
                file=sys.stderr,
            )
            return 1
    try:
        args.out.write_bytes(content)
    except OSError as error:
        print(f"bsb conference minutes: cannot write {args.out}: {error.strerror}", file=sys.stderr)
        return 1
    print(f"{args.out}: minutes of “{conference.title}” ({len(content)} bytes)")
    return 0

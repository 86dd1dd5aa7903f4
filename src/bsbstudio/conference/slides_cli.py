"""`bsb conference slides` and `bsb conference sheet`: the slides and group sheets as files.

They write the same files as the pages (in bokmål), after the same checks: quotes only from
approved texts, and the leak guard; each export is written to the audit log as the command's.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register_slides(commands) -> None:
    """Add `bsb conference slides SLUG N --out FILE` (or `--report ID` instead of N)."""
    from .cli import NUMBER_HELP

    slides = commands.add_parser(
        "slides",
        help="write a conference's slides (PPTX or PDF) from its process report",
        description="Write the slides of a dialogue conference, the same file as the "
        "conference page gives; with --report, the slides of a process report without a "
        "conference. Nothing is written (exit 1) while the leak guard finds words nobody "
        "checked.",
    )
    slides.add_argument("slug", help="the evaluation's short name (as in its web address)")
    slides.add_argument("number", type=int, nargs="?", metavar="N", help=NUMBER_HELP)
    slides.add_argument("--report", type=int, metavar="ID", help="a process report's id instead")
    slides.add_argument("--out", type=Path, required=True, help="FILE.pptx or FILE.pdf")
    slides.set_defaults(func=slides_command)


def register_sheet(commands) -> None:
    """Add `bsb conference sheet SLUG N GROUP --out FILE`."""
    from .cli import NUMBER_HELP

    sheet = commands.add_parser(
        "sheet",
        help="write one work group's printable sheet (DOCX or PDF)",
        description="Write the group sheet of one work group at a dialogue conference, the "
        "same file as the conference page gives.",
    )
    sheet.add_argument("slug", help="the evaluation's short name (as in its web address)")
    sheet.add_argument("number", type=int, metavar="N", help=NUMBER_HELP)
    sheet.add_argument("group", type=int, metavar="GROUP", help="the group's number, 1-based")
    sheet.add_argument("--out", type=Path, required=True, help="FILE.docx or FILE.pdf")
    sheet.set_defaults(func=sheet_command)


SUBCOMMANDS = [register_slides, register_sheet]


def _fail(command: str, message: str) -> int:
    print(f"bsb conference {command}: {message}", file=sys.stderr)
    return 1


def _start() -> None:
    from bsbstudio.cli.server import migrate, setup_django

    setup_django()
    migrate()


def slides_command(args: argparse.Namespace) -> int:
    """Run `bsb conference slides`; 1 with a message when nothing could be written."""
    fmt = args.out.suffix.lower().lstrip(".")
    if fmt not in ("pptx", "pdf"):
        return _fail("slides", "--out must end in .pptx or .pdf")
    if (args.number is None) == (args.report is None):
        return _fail("slides", "give either the conference's number N or --report ID")
    _start()
    from bsbstudio.reports.models import Report

    from .cli import find_conference
    from .slides import export_slides

    conference = None
    try:
        if args.report is None:
            conference = find_conference(args.slug, args.number)
            report = conference.process_report
            if report is None:
                raise LookupError(f"“{conference.title}” has no process report chosen")
        else:
            report = Report.objects.filter(
                pk=args.report, evaluation__slug=args.slug, kind=Report.Kind.PROCESS
            ).first()
            if report is None:
                raise LookupError(f"{args.slug} has no process report with id {args.report}")
    except LookupError as error:
        return _fail("slides", str(error))
    return _write("slides", args.out, lambda: export_slides(None, report, fmt, conference))


def sheet_command(args: argparse.Namespace) -> int:
    """Run `bsb conference sheet`; 1 with a message when nothing could be written."""
    fmt = args.out.suffix.lower().lstrip(".")
    if fmt not in ("docx", "pdf"):
        return _fail("sheet", "--out must end in .docx or .pdf")
    _start()
    from .cli import find_conference
    from .slides import export_group_sheet

    try:
        conference = find_conference(args.slug, args.number)
        groups = list(conference.groups.order_by("order", "id"))
        if not 1 <= args.group <= len(groups):
            raise LookupError(
                f"“{conference.title}” has {len(groups)} group(s); "
                f"give a number from 1 to {len(groups)}"
            )
    except LookupError as error:
        return _fail("sheet", str(error))
    group = groups[args.group - 1]
    return _write("sheet", args.out, lambda: export_group_sheet(None, group, fmt))


def _write(command: str, out: Path, export) -> int:
    """Export in bokmål and write the file, or say why not."""
    from django.utils import translation

    from bsbstudio.web.messages import user_message

    from .slides import LeakRisk, SlidesRefused

    with translation.override("nb"):
        try:
            content = export()
        except LeakRisk as risk:
            return _fail(
                command,
                f"{len(risk.findings)} word(s) may identify someone; check them on the page "
                "first. Nothing written.",
            )
        except SlidesRefused as refusal:
            return _fail(command, f"{user_message(refusal)} Nothing written.")
    try:
        out.write_bytes(content)
    except OSError as error:
        return _fail(command, f"cannot write {out}: {error.strerror}")
    print(f"{out}: {len(content)} bytes")
    return 0

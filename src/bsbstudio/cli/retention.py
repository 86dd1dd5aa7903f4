"""`bsb retention run`: delete the recordings whose deadline has passed (invariant 4).

Prints one line per recording and the totals; exits 1 if any file could not be deleted, so cron
or monitoring notices. `bsb serve` runs the same thing every hour in a thread
(``bsbstudio.fieldwork.recordings.schedule``, where cron use is described too).
"""

from __future__ import annotations

import argparse
import datetime
import sys

from .server import migrate, setup_django


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from error


def register(subparsers) -> None:
    """Add `bsb retention` and its `run` subcommand."""
    parser = subparsers.add_parser("retention", help="delete recordings on schedule")
    commands = parser.add_subparsers(dest="retention_command", metavar="SUBCOMMAND")
    run = commands.add_parser(
        "run",
        help="delete every recording whose deletion deadline has passed",
        description="Delete every recording whose deadline (the interview date plus "
        "BSB_RECORDING_MAX_DAYS, or the day its transcript was approved) is today or earlier, "
        "check that each file is gone, and write the audit log. Also removes stray files in the "
        "recordings folder that belong to no recording.",
    )
    run.add_argument("--dry-run", action="store_true", help="only list what would be deleted")
    run.add_argument(
        "--today", type=_date, help="act as if it were this day (YYYY-MM-DD); default today"
    )
    run.set_defaults(func=run_command)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)


def run_command(args: argparse.Namespace) -> int:
    """Run `bsb retention run`; return 1 if any deletion failed."""
    setup_django()
    migrate()  # a data folder made by an older version (or none yet) must not fail with a traceback
    from bsbstudio.fieldwork.recordings.retention import run_retention
    from bsbstudio.transcripts.background import end_interrupted_imports

    report = run_retention(today=args.today, dry_run=args.dry_run)
    for line in report_lines(report):
        print(line)
    if not args.dry_run:
        print(f"Interrupted transcript imports ended: {end_interrupted_imports()}")
    return 0 if report.ok else 1


def report_lines(report) -> list[str]:
    """The printed summary: one line per recording and stray file, then the totals.

    File names are left out: an original name may name a participant, and this output often
    ends up in a log file.
    """
    labels = {"deleted": "deleted", "would_delete": "would delete", "failed": "FAILED"}
    lines = []
    for result in report.results:
        recording = result.recording
        interview = recording.interview
        line = (
            f"{labels[result.status]:<13} recording {recording.pk} of "
            f"{interview.evaluation.slug}/{interview.code}, due {recording.deadline.isoformat()}"
        )
        if result.error:
            line += f": {result.error}"
        lines.append(line)
    stray_label = "would remove" if report.dry_run else "removed"
    for name in report.stray_files:
        failed = name in report.stray_failures
        lines.append(f"{'FAILED' if failed else stray_label:<13} stray file {name}")
    verb = "would be deleted" if report.dry_run else "deleted"
    lines.append(
        f"Retention {report.today.isoformat()}{' (dry run)' if report.dry_run else ''}: "
        f"{len(report.deleted)} {verb}, {len(report.failed)} failed, "
        f"{len(report.stray_files)} stray files."
    )
    return lines


if __name__ == "__main__":  # pragma: no cover
    from .main import main

    sys.exit(main(["retention", *sys.argv[1:]]))

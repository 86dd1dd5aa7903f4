"""`bsb audit verify`: check the audit log's hash chain and name the first broken entry.

Prints "OK" with the number of entries, or the first entry that was changed, inserted or follows
a deletion (its id, time and action) and exits 1, so cron or monitoring notices.
"""

from __future__ import annotations

import argparse

from .server import migrate, setup_django


def register(subparsers) -> None:
    """Add `bsb audit` and its `verify` subcommand."""
    parser = subparsers.add_parser("audit", help="check the audit log")
    commands = parser.add_subparsers(dest="audit_command", metavar="SUBCOMMAND")
    verify = commands.add_parser(
        "verify",
        help="check that no audit entry was changed or deleted",
        description="Recompute the hash chain of the whole audit log, oldest entry first. Exits 0 "
        "and prints OK when every entry holds; otherwise names the first broken entry and "
        "exits 1.",
    )
    verify.set_defaults(func=verify_command)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)


def verify_command(args: argparse.Namespace) -> int:
    """Run `bsb audit verify`; return 1 if the chain is broken."""
    setup_django()
    migrate()  # an older data folder gets its existing entries chained first
    from bsbstudio.accounts.audit import verify

    result = verify()
    if result.ok:
        print(f"OK: the audit log's {result.checked} entries are intact.")
        return 0
    event = result.broken
    print(
        f"BROKEN: audit entry id {event.pk} (number {event.seq}, {event.at.isoformat()}, "
        f"{event.action}): {result.reason}. {result.checked} entries checked intact."
    )
    return 1


if __name__ == "__main__":  # pragma: no cover
    import sys

    from .main import main

    sys.exit(main(["audit", *sys.argv[1:]]))

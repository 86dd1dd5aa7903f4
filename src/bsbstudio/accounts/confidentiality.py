"""The confidentiality declaration (taushetserklæring): signing it, and the gate to raw material.

Raw material (audio recordings, raw transcripts, the de-identification review that shows raw
text) is shown only to members who may see it *and* have signed the current declaration text.
"""

from __future__ import annotations

from functools import wraps
from pathlib import Path
from urllib.parse import quote

from django.db import transaction
from django.db.models import Max
from django.shortcuts import redirect
from django.urls import reverse

from .audit import record
from .middleware import no_store
from .models import ConfidentialityDeclaration, DeclarationSignature
from .policy import Action, evaluation_view, require

DEFAULT_TEXT = Path(__file__).parent / "data" / "declaration_nb.txt"


def current_declaration(evaluation) -> ConfidentialityDeclaration:
    """The declaration members sign now; the first call makes version 1 from the default text."""
    declaration = evaluation.declarations.order_by("-version").first()
    if declaration is None:
        text = DEFAULT_TEXT.read_text(encoding="utf-8").format(evaluation=evaluation.name)
        declaration, _created = ConfidentialityDeclaration.objects.get_or_create(
            evaluation=evaluation, version=1, defaults={"text": text}
        )
    return declaration


def has_signed(user, evaluation) -> bool:
    """Whether ``user`` has signed the evaluation's current declaration."""
    return DeclarationSignature.objects.filter(
        declaration=current_declaration(evaluation), user=user
    ).exists()


@transaction.atomic
def sign(user, evaluation, signed_name: str) -> DeclarationSignature:
    """Sign the current declaration with one's full name (any member may, once per version)."""
    require(user, evaluation, Action.VIEW_DASHBOARD)
    declaration = current_declaration(evaluation)
    signature, created = DeclarationSignature.objects.get_or_create(
        declaration=declaration, user=user, defaults={"signed_name": signed_name.strip()}
    )
    if created:
        record(user, "declaration.sign", signature, evaluation, version=declaration.version)
    return signature


@transaction.atomic
def revise(user, evaluation, text: str) -> ConfidentialityDeclaration:
    """Make a new version of the declaration text; every member must sign it again."""
    require(user, evaluation, Action.EDIT_PLAN)
    latest = evaluation.declarations.aggregate(v=Max("version"))["v"] or 0
    declaration = ConfidentialityDeclaration.objects.create(
        evaluation=evaluation, version=latest + 1, text=text.strip(), created_by=user
    )
    record(user, "declaration.revise", declaration, evaluation, version=declaration.version)
    return declaration


def raw_material_view(action: Action = Action.VIEW_RAW):
    """Like ``evaluation_view``, and the user must have signed the declaration first.

    Someone who has not signed is sent to the declaration, and comes back after signing.
    Every response says ``Cache-Control: no-store``: raw material must not stay in a browser's
    or a proxy's cache after the person has left the page.
    """

    def decorator(view):
        @evaluation_view(action)
        @wraps(view)
        def wrapper(request, evaluation, *args, **kwargs):
            if not has_signed(request.user, evaluation):
                url = reverse("evaluations:declaration", args=[evaluation.slug])
                return no_store(redirect(f"{url}?next={quote(request.get_full_path())}"))
            return no_store(view(request, evaluation, *args, **kwargs))

        return wrapper

    return decorator

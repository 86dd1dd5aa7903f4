"""The import pages: send a REFI-QDA project or codebook, see what it holds, then import it.

A project file waits in the data folder's temp area (``settings.UPLOAD_TEMP_DIR``/qdpx) under a
random name known only to the sender's session, until it is imported or the import is
cancelled (files left behind are removed after a day). The preview is read again from it on
each page, so nothing of it is kept anywhere else. Process leaders only; every step audited.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, evaluation_view, is_org_admin
from bsbstudio.errors import UserFacingError
from bsbstudio.guide.forms import parse_id
from bsbstudio.web.messages import user_message

from . import jobs as exchange_jobs
from .codebook_import import MAX_XML_BYTES, existing_codes, import_codebook
from .qdpx_import import import_project, preview

SESSION_KEY = "exchange_imports"
TOKEN = re.compile(r"^[0-9a-f]{32}$")
STALE_AFTER_S = 24 * 3600


def _folder() -> Path:
    folder = Path(settings.UPLOAD_TEMP_DIR) / "qdpx"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _path(token: str) -> Path:
    if not TOKEN.match(token):
        raise ValueError("not an import token")
    return _folder() / f"{token}.qdpx"


def _discard(request, token: str) -> None:
    _path(token).unlink(missing_ok=True)
    waiting = request.session.get(SESSION_KEY, {})
    if waiting.pop(token, None) is not None:
        request.session[SESSION_KEY] = waiting


def _sweep() -> None:
    """Remove files an abandoned import left behind."""
    limit = time.time() - STALE_AFTER_S
    for path in _folder().glob("*.qdpx"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue


def _store(upload) -> str:
    token = secrets.token_hex(16)
    with _path(token).open("xb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return token


def _waiting(request, evaluation, token: str) -> dict | None:
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not entry or entry.get("evaluation") != evaluation.pk or not TOKEN.match(token):
        return None
    return entry if _path(token).is_file() else None


def _start_url(evaluation) -> str:
    return reverse("exchange:import", args=[evaluation.slug])


def _too_large(upload) -> str | None:
    if upload is None:
        return _("Choose a file.")
    if upload.size > settings.MAX_UPLOAD_BYTES:
        return _("The file %(name)s is %(size).0f MB, more than the %(limit).0f MB allowed.") % {
            "name": upload.name,
            "size": upload.size / 1e6,
            "limit": settings.MAX_UPLOAD_BYTES / 1e6,
        }
    return None


@evaluation_view(Action.IMPORT_PROJECT)
def start(request, evaluation):
    """The upload form for a project (then the preview) or a codebook (imported at once)."""
    if request.method == "POST":
        upload = request.FILES.get("file")
        problem = _too_large(upload)
        if problem:
            messages.error(request, problem)
        elif request.POST.get("kind") == "qdc":
            return _codebook(request, evaluation, upload)
        else:
            return _project(request, evaluation, upload)
    return render(
        request,
        "exchange/import_start.html",
        {
            "evaluation": evaluation,
            "nav_active": "exchange",
            "limit_mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024),
        },
    )


def _codebook(request, evaluation, upload):
    data = upload.read(MAX_XML_BYTES + 1)
    try:
        counts = import_codebook(request.user, evaluation, data, upload.name)
    except UserFacingError as error:
        messages.error(request, user_message(error))
        return redirect(_start_url(evaluation))
    messages.success(
        request,
        _("%(made)s new themes were added; %(matched)s matched themes you already had.") % counts,
    )
    return redirect(_start_url(evaluation))


def _project(request, evaluation, upload):
    _sweep()
    token = _store(upload)
    try:
        preview(_path(token), upload.name)
    except UserFacingError as error:
        _path(token).unlink(missing_ok=True)
        messages.error(request, user_message(error))
        return redirect(_start_url(evaluation))
    waiting = request.session.get(SESSION_KEY, {})
    waiting[token] = {"evaluation": evaluation.pk, "filename": upload.name[:200]}
    request.session[SESSION_KEY] = waiting
    record(
        request.user,
        "exchange.import_upload",
        evaluation,
        evaluation,
        filename=upload.name[:200],
        size_bytes=upload.size,
    )
    return redirect(reverse("exchange:import_preview", args=[evaluation.slug, token]))


def _matches(evaluation, found) -> list[tuple[int, object, object]]:
    """Top-level imported codes whose name a top-level code of the evaluation already has."""
    known = existing_codes(evaluation)
    rows = []
    for index, item in enumerate(found.codes):
        if item.parent is None:
            code = known.get((None, item.name.casefold()))
            if code is not None:
                rows.append((index, item, code))
    return rows


@evaluation_view(Action.IMPORT_PROJECT)
def preview_page(request, evaluation, token: str):
    """What the project holds and its problems; the choices; then the import (POST)."""
    entry = _waiting(request, evaluation, token)
    if entry is None:
        messages.error(request, _("The file is no longer waiting to be imported. Send it again."))
        return redirect(_start_url(evaluation))
    try:
        found = preview(_path(token), entry["filename"])
    except UserFacingError as error:
        _discard(request, token)
        messages.error(request, user_message(error))
        return redirect(_start_url(evaluation))
    matches = _matches(evaluation, found)
    may_create = is_org_admin(request.user)
    sites = list(evaluation.sites.order_by("order", "name", "pk"))
    if request.method == "POST":
        response = _import(request, evaluation, token, entry, matches, may_create, sites, found)
        if response is not None:
            return response
    return render(
        request,
        "exchange/import_preview.html",
        {
            "evaluation": evaluation,
            "nav_active": "exchange",
            "token": token,
            "found": found,
            "counts": found.counts,
            "matches": matches,
            "may_create": may_create,
            "sites": sites,
            "posted": request.POST,
        },
    )


def _import(request, evaluation, token, entry, matches, may_create, sites, found=None):
    new = request.POST.get("target") == "new" and may_create
    choices = {}
    if not new:
        for index, item, code in matches:
            keep = request.POST.get(f"code-{index}", "match") == "match"
            choices[item.guid] = code.pk if keep else None
    site_pk = parse_id(request.POST.get("site", ""))
    site = next((s for s in sites if s.pk == site_pk), None) if not new else None
    if found is not None and exchange_jobs.import_is_large(found):
        # A large project is imported in the background; the file stays until the job has
        # read it, and the job page shows the progress (the same checks and audit run there).
        job = exchange_jobs.start_import(
            request.user,
            evaluation,
            token,
            _path(token),
            filename=entry["filename"],
            new=new,
            new_name=request.POST.get("name", "").strip()[:200],
            new_slug=request.POST.get("slug", "").strip()[:80],
            site_id=site.pk if site else None,
            choices=choices,
        )
        waiting = request.session.get(SESSION_KEY, {})
        if waiting.pop(token, None) is not None:
            request.session[SESSION_KEY] = waiting
        return redirect(job.get_absolute_url())
    try:
        result = import_project(
            request.user,
            _path(token),
            None if new else evaluation,
            choices,
            filename=entry["filename"],
            new_name=request.POST.get("name", "").strip()[:200],
            new_slug=request.POST.get("slug", "").strip()[:80],
            site=site,
        )
    except UserFacingError as error:
        messages.error(request, user_message(error))
        return None
    _discard(request, token)
    messages.success(
        request,
        " ".join(
            (
                ngettext("Imported: %(n)s text", "Imported: %(n)s texts", len(result.interviews))
                % {"n": len(result.interviews)},
                ngettext("and %(n)s new theme.", "and %(n)s new themes.", result.codes_made)
                % {"n": result.codes_made},
                _(
                    "The texts must now have names and other details hidden; the quotes appear "
                    "when that is done."
                ),
            )
        ),
    )
    return redirect(reverse("transcripts:list", args=[result.evaluation.slug]))


@require_POST
@evaluation_view(Action.IMPORT_PROJECT)
def cancel(request, evaluation, token: str):
    """Throw the waiting file away."""
    if _waiting(request, evaluation, token) is not None:
        _discard(request, token)
        record(request.user, "exchange.import_cancel", evaluation, evaluation)
        messages.success(request, _("The import was cancelled and the file deleted."))
    return redirect(_start_url(evaluation))

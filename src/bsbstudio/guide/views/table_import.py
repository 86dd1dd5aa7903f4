"""Bring a theme guide in from a Word table, a spreadsheet or pasted text, through a preview.

Step 1 reads the file or text (``guide.engine.table_import``) and shows the preview; the table
read travels in the preview form, signed, so nothing is stored before the person saves. Step 2
takes the preview's choices (names, levels, rows left out, the groups of each column, add or
replace) and saves it all at once through ``actions.import_table``. Any problem shows the page
again with a message; nothing is changed then.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core import signing
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.web.messages import user_message

from .. import actions, versions
from ..engine import table_import as engine

_SALT = "bsbstudio.guide.table_import"


@dataclass(slots=True)
class ColumnOption:
    """One group a column's questions can go to: an existing group or one to make."""

    value: str  # "g<id>" for an existing group, "new:<name>" for a group to make
    label: str
    checked: bool
    is_new: bool


@dataclass(slots=True)
class PreviewRow:
    """A theme row of the preview with the person's choices."""

    number: int
    theme: engine.ImportedTheme
    name: str
    sub: bool
    keep: bool


def _column_options(evaluation, group: engine.ImportedGroup) -> list[ColumnOption]:
    """What a column can map to (see ``actions.column_choices``), as form values."""
    return [
        ColumnOption(
            f"new:{target}" if isinstance(target, str) else f"g{target}",
            label,
            ticked,
            isinstance(target, str),
        )
        for target, label, ticked in actions.column_choices(evaluation, group)
    ]


def _preview_context(evaluation, guide, token, post=None) -> dict:
    """The preview's rows and columns, with the choices from ``post`` or the defaults."""
    columns = []
    for number, group in enumerate(guide.groups, start=1):
        options = _column_options(evaluation, group)
        if post is not None:
            ticked = set(post.getlist(f"column-{number}"))
            for option in options:
                option.checked = option.value in ticked
        columns.append({"number": number, "group": group, "options": options})
    rows = []
    for number, theme in enumerate(guide.themes, start=1):
        if post is None:
            rows.append(PreviewRow(number, theme, theme.name, bool(theme.depth), True))
        else:
            rows.append(
                PreviewRow(
                    number,
                    theme,
                    post.get(f"name-{number}", theme.name),
                    post.get(f"level-{number}") == "sub",
                    f"keep-{number}" in post,
                )
            )
    latest = versions.latest_version(evaluation)
    return {
        "evaluation": evaluation,
        "guide": guide,
        "token": token,
        "columns": columns,
        "rows": rows,
        "has_themes": evaluation.themes.exists(),
        "replace": post is not None and post.get("mode") == "replace",
        "latest_version": latest,
        "nav_active": "guide",
    }


def _read(request) -> engine.ImportedGuide:
    """The guide in the uploaded file, or else in the pasted text."""
    upload = request.FILES.get("file")
    if upload is not None:
        if upload.size > engine.MAX_BYTES:
            raise engine.file_too_big(upload.name)
        return engine.read_file(upload.read(), upload.name)
    return engine.read_text(request.POST.get("text", ""))


@evaluation_view(Action.EDIT_GUIDE)
def table_import(request, evaluation):
    """Step 1: a file or pasted text; step 2: the preview to fix, then save (see the module)."""
    if request.method != "POST":
        return _start(request, evaluation)
    if request.POST.get("step") == "save":
        return _save(request, evaluation)
    try:
        guide = actions.named_columns(_read(request))
    except engine.TableImportError as error:
        messages.error(request, user_message(error) + " " + _("Nothing was changed."))
        return _start(request, evaluation, text=request.POST.get("text", ""))
    token = signing.dumps(guide.to_data(), salt=_SALT, compress=True)
    return render(
        request, "guide/table_import_preview.html", _preview_context(evaluation, guide, token)
    )


def _start(request, evaluation, text: str = ""):
    return render(
        request,
        "guide/table_import.html",
        {"evaluation": evaluation, "text": text, "nav_active": "guide"},
    )


def _save(request, evaluation):
    """Apply the preview's choices and save, or show the preview again with the reason."""
    token = request.POST.get("table", "")
    try:
        guide = engine.from_data(signing.loads(token, salt=_SALT))
    except (signing.BadSignature, engine.TableImportError, ValueError, TypeError):
        messages.error(request, _("The preview was out of date. Bring in the file or text again."))
        return redirect("guide:table_import", evaluation.slug)
    context = _preview_context(evaluation, guide, token, request.POST)
    kept, main_kept = [], False
    for row in context["rows"]:
        # A sub-theme whose main theme is left out becomes a main theme itself.
        sub = row.sub and main_kept
        main_kept = row.keep if not row.sub else main_kept
        if row.keep:
            kept.append(
                engine.ImportedTheme(row.name, row.theme.cells, row.theme.description, int(sub))
            )
    if not kept:
        messages.error(request, _("Nothing was saved: keep at least one theme."))
        return render(request, "guide/table_import_preview.html", context)
    columns = [
        [_target(option.value) for option in column["options"] if option.checked]
        for column in context["columns"]
    ]
    chosen = engine.ImportedGuide(guide.groups, tuple(kept), guide.source)
    try:
        result = actions.import_table(
            request.user, evaluation, chosen, columns, context["replace"], guide.source
        )
    except actions.GuideError as error:
        messages.error(request, _("Nothing was saved.") + " " + user_message(error))
        return render(request, "guide/table_import_preview.html", context)
    messages.success(
        request,
        ngettext(
            "The guide got %(count)d theme from the table, with %(questions)d questions.",
            "The guide got %(count)d themes from the table, with %(questions)d questions.",
            len(result.themes),
        )
        % {"count": len(result.themes), "questions": result.questions},
    )
    return redirect("guide:grid", evaluation.slug)


def _target(value: str) -> int | str:
    """An existing group's id ("g12") or the name of a group to make ("new:Pårørende")."""
    if value.startswith("g") and value[1:].isdigit() and len(value) < 19:
        return int(value[1:])
    return value.removeprefix("new:")

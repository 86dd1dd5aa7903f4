"""Views of analysis: code quotes in a de-identified text, and the matrix of themes x a column."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.conference.actions import validation_summary
from bsbstudio.fieldwork.models import Interview
from bsbstudio.guide.forms import parse_id
from bsbstudio.transcripts.models import DeidentifiedText
from bsbstudio.web.highlight import split_marks
from bsbstudio.web.messages import user_message

from . import actions, agreement, silence
from .coding import code_from_form
from .colours import PALETTE, colours_of, text_on
from .engine.matrix import (
    DIRECTNESS,
    POLARITIES,
    SORTS,
    balance,
    fold,
    matrix_from_counts,
    sort_themes,
)
from .forms import (
    CODE_NAME_MAX_LENGTH,
    CodeEditForm,
    CodeSegmentForm,
    EditSegmentForm,
    EmergentCodeForm,
    NothingSaidForm,
    tree_label,
)
from .memos import visible_memos
from .models import Code, CodedSegment
from .queries import (
    COLUMNS,
    MatrixQuery,
    cell_quotes,
    matrix_counts,
    matrix_quotes,
    not_asked_cells,
)
from .speakers import with_speakers


@evaluation_view(Action.VIEW_WORK)
def text(request, evaluation, pk):
    """A de-identified transcript with its coded quotes: select text to code it, change, undo."""
    deidentified = _text_of(evaluation, pk)
    actions.sync_guide_codes(evaluation)
    can_code = Action.CODE in request.bsb_actions
    codes, _parent_of = _code_tree(evaluation)
    code_roots = _guide_first(codes)
    codes = _tree_order(code_roots)
    form = (
        CodeSegmentForm(request.POST or None, evaluation=evaluation, tree=codes)
        if can_code
        else None
    )
    if request.method == "POST" and can_code and "new_code" in request.POST:
        _add_emergent_code(request, evaluation)
        return redirect(request.path)
    if request.method == "POST" and can_code:
        if form.is_valid():
            try:
                segment = code_from_form(request.user, deidentified, form.cleaned_data)
            except actions.SegmentError as error:
                form.add_error(None, user_message(error))
            else:
                messages.success(
                    request, _("The quote was coded to %(code)s.") % {"code": segment.code.name}
                )
                return redirect(f"{request.path}#segment-{segment.pk}")
        messages.error(request, _("The quote was not coded. See the message by the form."))
    # A coder in a blind double coding sees only their own quotes on the text.
    hidden = agreement.hidden_segments(request.user, [deidentified])
    segments = with_speakers(
        deidentified.coded_segments.exclude(hidden).select_related("code").order_by("start", "pk")
    )
    # Each quote in its theme's colour; the code tree counts the quotes of this text.
    code_by_pk = {code.pk: code for code in codes}
    for code in codes:
        code.quotes_here = 0
    for s in segments:
        s.tree_code = code_by_pk[s.code_id]
        s.tree_code.quotes_here += 1
    deidentified.double_coding = agreement.open_double_coding(deidentified)
    turns = deidentified.turns.select_related("participation__informant__group")
    rows = [
        (
            turn,
            split_marks(deidentified.text, turn.start, turn.end, segments),
            # The margin: every quote touching the turn, so overlapping quotes stand side by side.
            [s for s in segments if s.start < turn.end and s.end > turn.start],
        )
        for turn in turns
    ]
    memos = visible_memos(request.user, evaluation).filter(
        Q(deidentified_text=deidentified) | Q(segment__text=deidentified)
    )
    return render(
        request,
        "analysis/text.html",
        {
            "evaluation": evaluation,
            "deidentified": deidentified,
            "rows": rows,
            "form": form,
            "segments": segments,
            "codes": codes,
            "code_choices": [(code.pk, code.tree_label) for code in codes],
            "code_roots": code_roots,
            "can_code": can_code,
            "memos": memos,
            "polarities": CodedSegment.Polarity.choices,
            "directnesses": CodedSegment.Directness.choices,
            "interview": deidentified.transcript.interview,
            "code_name_max_length": CODE_NAME_MAX_LENGTH,
            "nav_active": "analysis",
        },
    )


def _text_of(evaluation, pk) -> DeidentifiedText:
    return get_object_or_404(
        DeidentifiedText.objects.select_related("transcript__interview"),
        pk=pk,
        transcript__interview__evaluation=evaluation,
    )


def _add_emergent_code(request, evaluation) -> None:
    """Add the theme named in the "new theme" form, or say why not."""
    form = EmergentCodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["new_code"]))
        return
    try:
        code = actions.create_emergent_code(request.user, evaluation, form.cleaned_data["new_code"])
    except actions.SegmentError as error:
        messages.error(request, user_message(error))
    else:
        messages.success(request, _("The theme %(code)s can now be chosen.") % {"code": code.name})


@require_POST
@evaluation_view(Action.CODE)
def uncode(request, evaluation, pk):
    """Remove a coded quote."""
    segment = get_object_or_404(
        CodedSegment.objects.exclude(agreement.hidden_segments(request.user)),
        pk=pk,
        code__evaluation=evaluation,
    )
    text_pk = segment.text_id
    actions.delete_segment(request.user, segment)
    messages.success(request, _("The coding was removed. Undo brings it back."))
    return redirect("analysis:text", evaluation.slug, text_pk)


@require_POST
@evaluation_view(Action.CODE)
def recode(request, evaluation, pk):
    """Change a coded quote's theme, polarity, directness or span."""
    segment = get_object_or_404(
        CodedSegment.objects.exclude(agreement.hidden_segments(request.user)),
        pk=pk,
        code__evaluation=evaluation,
    )
    form = EditSegmentForm(request.POST, evaluation=evaluation)
    if not form.is_valid():
        messages.error(
            request,
            _("The quote was not changed: %(errors)s")
            % {"errors": " ".join(str(e) for errors in form.errors.values() for e in errors)},
        )
    else:
        try:
            actions.edit_segment(request.user, segment, **form.cleaned_data)
        except actions.SegmentError as error:
            messages.error(request, user_message(error))
        else:
            messages.success(request, _("The quote was changed."))
    return redirect(
        reverse("analysis:text", args=[evaluation.slug, segment.text_id]) + f"#segment-{pk}"
    )


def _undo_or_redo(request, evaluation, pk, step, done_message):
    deidentified = _text_of(evaluation, pk)
    try:
        step(request.user, deidentified)
    except actions.UndoError as error:
        messages.error(request, user_message(error))
    else:
        messages.success(request, done_message)
    return redirect("analysis:text", evaluation.slug, deidentified.pk)


@require_POST
@evaluation_view(Action.CODE)
def undo(request, evaluation, pk):
    """Undo the member's last coding step in this text."""
    return _undo_or_redo(
        request, evaluation, pk, actions.undo, _("Your last coding step was undone.")
    )


@require_POST
@evaluation_view(Action.CODE)
def redo(request, evaluation, pk):
    """Redo the coding step the member undid last in this text."""
    return _undo_or_redo(
        request, evaluation, pk, actions.redo, _("The coding step was done again.")
    )


def _back_to_text(request, evaluation) -> DeidentifiedText | None:
    """The transcript the person came from (``text`` in the query or form), if it is this evaluation's."""
    text_id = parse_id(request.POST.get("text") or request.GET.get("text", ""))
    if text_id is None:
        return None
    return (
        DeidentifiedText.objects.filter(pk=text_id, transcript__interview__evaluation=evaluation)
        .select_related("transcript__interview")
        .defer("text")
        .first()
    )


def _code_page(evaluation, pk: int, back) -> str:
    url = reverse("analysis:code_edit", args=[evaluation.slug, pk])
    return f"{url}?text={back.pk}" if back else url


def _away_from_code(evaluation, back):
    if back:
        return redirect(reverse("analysis:text", args=[evaluation.slug, back.pk]) + "#code-tree")
    return redirect("analysis:matrix", evaluation.slug)


@evaluation_view(Action.CODE)
def code_edit(request, evaluation, pk):
    """Change a theme: the colour of any; the name, description and place of an emergent one."""
    back = _back_to_text(request, evaluation)
    codes, parent_of = _code_tree(evaluation)
    code = next((c for c in codes if c.pk == pk), None)
    if code is None:
        messages.error(request, _("The theme no longer exists. Nothing was changed."))
        return _away_from_code(evaluation, back)
    form = CodeEditForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            changed = _edit_code_from_form(request, code, form.cleaned_data)
            if changed:
                return redirect(_code_page(evaluation, pk, back))
        else:
            messages.error(
                request,
                _("The theme was not changed: %(errors)s")
                % {"errors": " ".join(str(e) for errors in form.errors.values() for e in errors)},
            )
    below = set(_subtree(code.pk, parent_of))
    return render(
        request,
        "analysis/code_edit.html",
        {
            "evaluation": evaluation,
            "code": code,
            "back": back,
            # A blind double coder does not learn of the other coder's quotes.
            "quotes": code.segments.exclude(agreement.hidden_segments(request.user)).count(),
            "palette": PALETTE,
            "automatic_colour": colours_of(
                [(c.pk, "" if c.pk == code.pk else c.colour) for c in codes]
            )[code.pk],
            "parent_choices": [
                (c.pk, c.tree_label) for c in _tree_order(_guide_first(codes)) if c.pk not in below
            ],
            "nav_active": "analysis",
        },
    )


def _edit_code_from_form(request, code, data) -> bool:
    """Save the edit form through ``actions.edit_code``; say how it went; True when saved."""
    posted = request.POST
    changes = {"colour": data["colour"]}
    if code.kind == Code.Kind.EMERGENT or "name" in posted:
        changes["name"] = data["name"] if "name" in posted else None
    if code.kind == Code.Kind.EMERGENT or "description" in posted:
        changes["description"] = data["description"] if "description" in posted else None
    if "parent" in posted and (data["parent"] or code.kind == Code.Kind.EMERGENT):
        changes["parent_id"] = parse_id(data["parent"]) if data["parent"] else None
        if data["parent"] and changes["parent_id"] is None:
            messages.error(
                request, _("Choose one of the evaluation's themes. Nothing was changed.")
            )
            return False
    elif code.kind == Code.Kind.EMERGENT:
        changes["parent_id"] = code.parent_id
    try:
        actions.edit_code(request.user, code, **changes)
    except actions.CodeError as error:
        messages.error(request, user_message(error))
        return False
    messages.success(request, _("The theme was saved."))
    return True


@require_POST
@evaluation_view(Action.CODE)
def code_delete(request, evaluation, pk):
    """Remove an emergent theme that has no quotes."""
    back = _back_to_text(request, evaluation)
    code = Code.objects.filter(pk=pk, evaluation=evaluation).first()
    if code is None:
        messages.error(request, _("The theme no longer exists. Nothing was changed."))
        return _away_from_code(evaluation, back)
    try:
        actions.delete_code(request.user, code)
    except actions.CodeError as error:
        messages.error(request, user_message(error))
        return redirect(_code_page(evaluation, pk, back))
    messages.success(request, _("The theme %(name)s was removed.") % {"name": code.name})
    return _away_from_code(evaluation, back)


QUOTES_IN_CELLS_LIMIT = 1500
"""The most quotes the quotes-in-cells view shows on one page; above it, a narrower scope."""

QUOTES_PER_PAGE = 50


def _site_filter(request, evaluation):
    site_id = parse_id(request.GET.get("site", ""))
    return evaluation.sites.filter(pk=site_id).first() if site_id is not None else None


def _choice(request, name: str, allowed) -> str | None:
    value = request.GET.get(name, "")
    return value if value in allowed else None


def _matrix_state(request, evaluation) -> dict:
    """What the matrix page was asked to show; a value that is not one of the choices is ignored."""
    site = _site_filter(request, evaluation)
    text_id = parse_id(request.GET.get("text", ""))
    deidentified = (
        DeidentifiedText.objects.filter(pk=text_id, transcript__interview__evaluation=evaluation)
        .select_related("transcript__interview")
        .defer("text")
        .first()
        if text_id is not None
        else None
    )
    group_id = parse_id(request.GET.get("group", ""))
    group = evaluation.informant_groups.filter(pk=group_id).first() if group_id else None
    query = MatrixQuery(
        column=_choice(request, "column", COLUMNS) or "group",
        site_id=site.pk if site else None,
        text_id=deidentified.pk if deidentified else None,
        group_id=group.pk if group else None,
        polarity=_choice(request, "polarity", POLARITIES),
        directness=_choice(request, "directness", DIRECTNESS),
        hidden=agreement.hidden_segments(request.user),
    )
    params = {
        "column": query.column if query.column != "group" else None,
        "site": query.site_id,
        "text": query.text_id,
        "group": query.group_id,
        "polarity": query.polarity,
        "directness": query.directness,
        "sort": _choice(request, "sort", SORTS[1:]),
        "fold": "1" if request.GET.get("fold") == "1" else None,
        "show": _choice(request, "show", ("quotes",)),
    }
    return {
        "query": query,
        "site": site,
        "deidentified": deidentified,
        "group": group,
        "sort": params["sort"] or "order",
        "fold": params["fold"] is not None,
        "show": params["show"] or "counts",
        # The page's own choices, carried into the links to a cell and back.
        "querystring": urlencode({k: v for k, v in params.items() if v is not None}),
    }


def _columns(evaluation, query: MatrixQuery) -> list[tuple]:
    """The chosen column's keys and names, in their usual order."""
    if query.column == "site":
        sites = evaluation.sites.order_by("order", "pk")
        if query.site_id is not None:
            sites = sites.filter(pk=query.site_id)
        return [(s.pk, s.name) for s in sites]
    if query.column == "interview":
        interviews = evaluation.interviews.filter(transcripts__deidentified_texts__isnull=False)
        if query.site_id is not None:
            interviews = interviews.filter(site_id=query.site_id)
        if query.text_id is not None:
            interviews = interviews.filter(transcripts__deidentified_texts__pk=query.text_id)
        return list(interviews.order_by("code", "pk").distinct().values_list("pk", "code"))
    if query.column == "polarity":
        return [(p.value, p.label) for p in CodedSegment.Polarity]
    groups = evaluation.informant_groups.order_by("order", "pk")
    if query.group_id is not None:
        groups = groups.filter(pk=query.group_id)
    return [(g.pk, g.name) for g in groups]


def _code_tree(evaluation) -> tuple[list, dict]:
    """The evaluation's codes in the guide's order, and each code's parent code.

    Each code gets ``depth``, ``tree_children`` (the codes right under it), ``swatch`` (its
    colour), ``swatch_text`` (black or white text on it) and ``tree_label`` (its indented
    name). Guide sub-themes sit under their guide theme, emergent themes under the code chosen
    for them; a cycle leaves a code on top. ``_tree_order`` lists the codes as the tree shows them.
    """
    codes = list(Code.objects.filter(evaluation=evaluation).order_by("kind", "order", "pk"))
    parent_of = actions.code_parents(evaluation)
    by_pk = {code.pk: code for code in codes}
    # By the place in the list, so a code keeps its colour on every page.
    swatches = colours_of([(code.pk, code.colour) for code in codes])
    roots, children = actions.code_forest(codes, parent_of)
    for code in codes:
        code.tree_children, code.depth = children.get(code.pk, []), 0
        code.swatch = swatches[code.pk]
        code.swatch_text = text_on(code.swatch)
    for code in _tree_order(roots):
        for child in code.tree_children:
            child.depth = code.depth + 1
        code.tree_label = tree_label(code)
    return codes, {pk: parent for pk, parent in parent_of.items() if pk in by_pk}


def _guide_first(codes: list) -> list:
    """The top codes as the tree shows them: the guide's themes, then those found in the material."""
    return sorted((c for c in codes if c.depth == 0), key=lambda c: c.kind != Code.Kind.GUIDE)


def _tree_order(roots: list) -> list:
    """``roots`` and every code below them, each followed by its sub-codes (depth first)."""
    ordered: list = []

    def walk(nodes):
        for code in nodes:
            ordered.append(code)
            walk(code.tree_children)

    walk(roots)
    return ordered


def _subtree(code_pk, parent_of: dict) -> list:
    """A code and every code below it."""
    below = [code_pk]
    for child in below:
        below.extend(c for c, p in parent_of.items() if p == child and c not in below)
    return below


@evaluation_view(Action.VIEW_WORK)
def matrix(request, evaluation):
    """The coarse matrix: coded quotes counted by theme and a chosen column, as a heat map."""
    actions.sync_guide_codes(evaluation)
    state = _matrix_state(request, evaluation)
    query = state["query"]
    codes, parent_of = _code_tree(evaluation)
    columns = _columns(evaluation, query)
    built = matrix_from_counts(
        matrix_counts([c.pk for c in codes], query), [c.pk for c in codes], [k for k, _n in columns]
    )
    if state["fold"]:
        built = fold(built, parent_of)
    code_by_pk = {c.pk: c for c in codes}
    order = sort_themes(built, state["sort"])
    quotes = None
    if state["show"] == "quotes":
        quotes = matrix_quotes([c.pk for c in codes], query, QUOTES_IN_CELLS_LIMIT)
        with_speakers(q for items in (quotes or {}).values() for q in items)
        if quotes is not None and state["fold"]:
            folded: dict[tuple, list] = {}
            for (code_pk, key), items in quotes.items():
                top, seen = code_pk, {code_pk}
                while parent_of.get(top) in code_by_pk and parent_of[top] not in seen:
                    top = parent_of[top]
                    seen.add(top)
                folded.setdefault((top, key), []).extend(items)
            quotes = folded
    unasked = not_asked_cells(evaluation, codes, query)
    # How the dialogue conference(s) received each theme (confirmed, nuanced, ...), if at all.
    received = validation_summary(evaluation)
    querystring = f"?{state['querystring']}" if state["querystring"] else ""
    markable = silence.shows_marks(query, folded=state["fold"])
    said_nothing = silence.marks(evaluation) if markable else {}
    rows = []
    for code_pk, cells in built.rows(order):
        code = code_by_pk[code_pk]
        code.received = received.get(code.pk, [])
        rows.append(
            (
                code,
                [
                    {
                        "name": name,
                        "cell": cell,
                        "heat": built.heat(code_pk, key),
                        # Reversed here, not in the template: a 30 x 20 matrix has 600 cells.
                        # An empty cell opens too where the team may mark it "nothing said".
                        "url": reverse("analysis:cell", args=[evaluation.slug, code_pk, key])
                        + querystring
                        if cell.count or (markable and (code_pk, key) not in unasked)
                        else "",
                        "quotes": (quotes or {}).get((code_pk, key), []),
                        "not_asked": not cell.count and (code_pk, key) in unasked,
                        "nothing_said": None if cell.count else said_nothing.get((code_pk, key)),
                    }
                    for (key, name), cell in zip(columns, cells, strict=True)
                ],
                built.row(code_pk),
            )
        )
    bars = balance(built, order)
    # Each half of a diverging bar holds one side and half the neutral quotes; the widest side
    # of any theme fills its half. Widths are strings so no locale writes a decimal comma.
    widest = max((max(b.critical, b.positive) + b.neutral / 2 for b in bars), default=0) or 1
    texts = list(
        DeidentifiedText.objects.filter(transcript__interview__evaluation=evaluation)
        .order_by("transcript__interview__code", "-version")
        .values("pk", "version", "transcript__interview__code", "transcript__interview__kind")
    )
    kinds = dict(Interview.Kind.choices)
    chosen = state["deidentified"].pk if state["deidentified"] else None
    text_base = reverse("analysis:text", args=[evaluation.slug, 0])[:-2]  # ".../text/0/" less "0/"
    # An archive has a thousand transcripts: joined in Python, not looped over in the template.
    text_options = format_html_join(
        "",
        '<option value="{}"{}>{}{}</option>',
        (
            (
                t["pk"],
                mark_safe(" selected") if t["pk"] == chosen else "",
                t["transcript__interview__code"],
                f" (v{t['version']})" if t["version"] > 1 else "",
            )
            for t in texts
        ),
    )
    text_links = format_html_join(
        "\n",
        '<li><a href="{}{}/">{}</a> <span class="meta">{}</span></li>',
        (
            (
                text_base,
                t["pk"],
                t["transcript__interview__code"],
                kinds.get(t["transcript__interview__kind"], ""),
            )
            for t in texts
        ),
    )
    return render(
        request,
        "analysis/matrix.html",
        {
            "evaluation": evaluation,
            **state,
            "rows": rows,
            "columns": columns,
            "column_choices": [(c, COLUMN_LABELS[c]) for c in COLUMNS],
            "matrix": built,
            "column_totals": [built.column(k) for k, _n in columns],
            "balance": [
                (
                    code_by_pk[b.theme_id],
                    b,
                    {
                        "critical": f"{100 * b.critical / widest:.1f}",
                        "neutral": f"{50 * b.neutral / widest:.1f}",
                        "positive": f"{100 * b.positive / widest:.1f}",
                    },
                )
                for b in bars
            ],
            "too_many_quotes": state["show"] == "quotes" and quotes is None,
            "quotes_limit": QUOTES_IN_CELLS_LIMIT,
            "sites": list(evaluation.sites.all()),
            "groups": list(evaluation.informant_groups.all()),
            "polarities": CodedSegment.Polarity.choices,
            "directnesses": CodedSegment.Directness.choices,
            "texts": texts,
            "text_options": text_options,
            "text_links": text_links,
            "received": bool(received),
            "any_not_asked": bool(unasked),
            "any_nothing_said": bool(said_nothing),
            "nav_active": "analysis",
        },
    )


COLUMN_LABELS = {
    "group": gettext_lazy("Informant group"),
    "site": gettext_lazy("Site"),
    "interview": gettext_lazy("Interview"),
    "polarity": gettext_lazy("Positive / critical / neutral"),
}


@evaluation_view(Action.VIEW_WORK)
def cell(request, evaluation, code_pk, key):
    """The quotes of one matrix cell, a page at a time (a panel in the matrix page, or a page)."""
    code = get_object_or_404(Code, pk=code_pk, evaluation=evaluation)
    state = _matrix_state(request, evaluation)
    query = state["query"]
    names = dict(_columns(evaluation, query))
    key = key if query.column == "polarity" else parse_id(key)
    if key not in names:
        raise Http404("no such column")
    codes = _subtree(code.pk, _code_tree(evaluation)[1]) if state["fold"] else [code.pk]
    page = Paginator(cell_quotes(codes, query, key), QUOTES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    template = "analysis/cell_panel.html" if request.htmx else "analysis/cell.html"
    return render(
        request,
        template,
        {
            "evaluation": evaluation,
            **state,
            "code": code,
            "key": key,
            "column_name": names[key],
            "page": page,
            "quotes": with_speakers(page.object_list),
            **_silence_of_cell(request, evaluation, code, key, state, page.paginator.count),
            "nav_active": "analysis",
        },
    )


def _silence_of_cell(request, evaluation, code, key, state, quotes: int) -> dict:
    """The cell's "nothing said" mark, and whether this reader may set one (an empty, asked cell)."""
    if not silence.shows_marks(state["query"], folded=state["fold"]):
        return {}
    asked = (code.pk, key) not in not_asked_cells(evaluation, [code], state["query"])
    may_code = Action.CODE in request.bsb_actions
    return {
        "silence": silence.marks(evaluation).get((code.pk, key)),
        "silence_editable": may_code,
        "silence_markable": may_code and asked and not quotes,
        "silence_note_max": silence.NOTE_MAX_LENGTH,
    }


@require_POST
@evaluation_view(Action.CODE)
def nothing_said(request, evaluation, code_pk, group_pk):
    """Mark a cell "nothing said" (with what was looked through), or take the mark back."""
    code = get_object_or_404(Code, pk=code_pk, evaluation=evaluation)
    group = get_object_or_404(evaluation.informant_groups, pk=group_pk)
    if request.POST.get("remove"):
        if silence.remove_mark(request.user, code, group):
            messages.success(request, _("The mark «nothing said» was taken back."))
    elif not (form := NothingSaidForm(request.POST)).is_valid():
        messages.error(request, " ".join(form.errors["note"]))
    else:
        try:
            silence.mark_nothing_said(request.user, code, group, form.cleaned_data["note"])
        except silence.SilenceError as error:
            messages.error(request, user_message(error))
        else:
            messages.success(
                request,
                _("Marked: %(group)s said nothing about %(theme)s.")
                % {"group": group.name, "theme": code.name},
            )
    return redirect(reverse("analysis:matrix", args=[evaluation.slug]) + f"#code-{code.pk}")

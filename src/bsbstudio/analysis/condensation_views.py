"""Views of systematic text condensation (one page per step) and of the 2 x 2 display.

Views parse the form and call one action in ``analysis.condensation`` or ``analysis.display``;
a refusal is a message and changes nothing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.guide.forms import parse_id
from bsbstudio.web.messages import attempt

from . import actions, agreement, condensation, display
from .models import (
    Code,
    CodedSegment,
    CodeGroup,
    CodeSubgroup,
    Condensation,
    Display,
    DisplayItem,
    MeaningUnit,
)

UNITS_PER_PAGE = 50

STEP_PAGES = (
    (1, "analysis:condensation_impression", gettext_lazy("Overall impression")),
    (2, "analysis:condensation_units", gettext_lazy("Meaning units")),
    (3, "analysis:condensation_groups", gettext_lazy("Code groups and condensates")),
    (4, "analysis:condensation_synthesis", gettext_lazy("Synthesis")),
)

MISSING_TEXT = {
    "impression": gettext_lazy("Write down your overall impression of the material."),
    "themes": gettext_lazy("Note at least one preliminary theme."),
    "units": gettext_lazy("Choose coded quotes as meaning units."),
    "groups": gettext_lazy("Make at least one code group."),
    "unassigned": gettext_lazy("Meaning units not yet sorted into a sub-group: %(count)d."),
    "empty_group": gettext_lazy("The code group %(name)s has no sub-groups."),
    "empty_subgroup": gettext_lazy("The sub-group %(name)s has no meaning units."),
    "condensate": gettext_lazy("The sub-group %(name)s has no condensate."),
    "synthesis": gettext_lazy("The code group %(name)s has no synthesis."),
    "quote": gettext_lazy("The sub-group %(name)s has no illustrative quote."),
    "nothing_to_synthesise": gettext_lazy(
        "There is nothing to synthesise before the code groups are made."
    ),
}


def missing_text(missing) -> str:
    """One missing thing, said in words."""
    return str(MISSING_TEXT[missing.kind]) % {"name": missing.name, "count": missing.count}


def _context(request, evaluation, step: int, **extra) -> dict:
    progress = condensation.progress(evaluation)
    return {
        "evaluation": evaluation,
        "step": step,
        "steps": STEP_PAGES,
        "progress": progress,
        "steps_done": dict(zip(range(1, 5), progress.steps_done, strict=True)),
        "missing": [(m.step, missing_text(m)) for m in progress.missing],
        "can_code": Action.CODE in request.bsb_actions,
        "condensation": Condensation.objects.filter(evaluation=evaluation).first(),
        "nav_active": "analysis",
        **extra,
    }


def _post(request, evaluation, page: str, handle) -> object:
    """Run a change posted to a step page (only for those who may code), then show the page again."""
    if Action.CODE not in request.bsb_actions:
        raise PermissionDenied
    handle()
    return redirect(page, evaluation.slug)


@evaluation_view(Action.VIEW_WORK)
def overview(request, evaluation):
    """The condensation at a glance: the four steps, how far it has come, and what is missing."""
    groups = _groups(evaluation, request.user)
    return render(
        request, "analysis/condensation.html", _context(request, evaluation, 0, groups=groups)
    )


@evaluation_view(Action.VIEW_WORK)
def impression(request, evaluation):
    """Step 1: the overall impression and the preliminary themes."""
    if request.method == "POST":
        themes = request.POST.get("themes", "").splitlines()
        return _post(
            request,
            evaluation,
            "analysis:condensation_impression",
            lambda: attempt(
                request,
                _("The overall impression was saved."),
                condensation.save_impression,
                request.user,
                evaluation,
                request.POST.get("impression", ""),
                themes,
            ),
        )
    held = Condensation.objects.filter(evaluation=evaluation).first()
    themes = "\n".join(t.name for t in held.themes.all()) if held else ""
    return render(
        request,
        "analysis/condensation_impression.html",
        _context(request, evaluation, 1, themes_text=themes),
    )


def _ids(values) -> list[int] | None:
    ids = [parse_id(v) for v in values]
    return None if None in ids else ids


@evaluation_view(Action.VIEW_WORK)
def units(request, evaluation):
    """Step 2: choose coded quotes, filtered by theme, as the condensation's meaning units."""
    if request.method == "POST":
        op = request.POST.get("op")

        def handle():
            if op == "remove":
                attempt(
                    request,
                    _("The meaning unit was taken out; its quote is still coded."),
                    condensation.remove_unit,
                    request.user,
                    evaluation,
                    parse_id(request.POST.get("unit", "")),
                )
                return
            ids = _ids(request.POST.getlist("segment"))
            if ids is None:
                ids = [-1]  # an id that is no quote: refused by the action with its message
            attempt(
                request,
                _("The chosen quotes are now meaning units."),
                condensation.add_units,
                request.user,
                evaluation,
                ids,
            )

        return _post(request, evaluation, "analysis:condensation_units", handle)
    actions.sync_guide_codes(evaluation)
    codes = list(Code.objects.filter(evaluation=evaluation).order_by("kind", "order", "pk"))
    code_id = parse_id(request.GET.get("code", ""))
    code = next((c for c in codes if c.pk == code_id), None)
    hidden = agreement.hidden_segments(request.user)
    chosen = MeaningUnit.objects.filter(condensation__evaluation=evaluation).exclude(
        segment__in=CodedSegment.objects.filter(hidden)
    )
    quotes = (
        CodedSegment.objects.filter(code__evaluation=evaluation)
        .exclude(hidden)
        .exclude(pk__in=chosen.values("segment_id"))
        .select_related("code", "text__transcript__interview")
        .order_by("code__kind", "code__order", "code_id", "text_id", "start", "pk")
    )
    if code is not None:
        quotes = quotes.filter(code=code)
    page = Paginator(quotes, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "analysis/condensation_units.html",
        _context(
            request,
            evaluation,
            2,
            codes=codes,
            code=code,
            page=page,
            chosen=chosen.select_related(
                "segment__code", "segment__text__transcript__interview", "subgroup"
            ).order_by("segment__code__order", "segment__text_id", "segment__start", "pk"),
        ),
    )


def _groups(evaluation, user) -> list[CodeGroup]:
    """The code groups with their sub-groups and each sub-group's meaning units, in order.

    A blind double coder sees neither the other coder's quotes among the units nor as a
    sub-group's illustrative quote (``sub.quote``).
    """
    hidden = CodedSegment.objects.filter(agreement.hidden_segments(user))
    groups = list(
        CodeGroup.objects.filter(condensation__evaluation=evaluation)
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch(
                "subgroups",
                CodeSubgroup.objects.order_by("order", "pk").select_related(
                    "illustrative__segment"
                ),
            ),
            Prefetch(
                "subgroups__units",
                MeaningUnit.objects.exclude(segment__in=hidden)
                .select_related("segment__code", "segment__text__transcript__interview")
                .order_by("segment__text_id", "segment__start", "pk"),
            ),
        )
    )
    for group in groups:
        for sub in group.subgroups.all():
            visible = {u.pk for u in sub.units.all()}
            sub.quote = sub.illustrative if sub.illustrative_id in visible else None
    return groups


@evaluation_view(Action.VIEW_WORK)
def groups(request, evaluation):
    """Step 3: code groups and sub-groups, the meaning units sorted into them, and a condensate each."""
    if request.method == "POST":
        return _post(
            request,
            evaluation,
            "analysis:condensation_groups",
            lambda: _groups_post(request, evaluation),
        )
    all_groups = _groups(evaluation, request.user)
    subgroups = [(g, s) for g in all_groups for s in g.subgroups.all()]
    units = (
        MeaningUnit.objects.filter(condensation__evaluation=evaluation)
        .exclude(segment__in=CodedSegment.objects.filter(agreement.hidden_segments(request.user)))
        .select_related("segment__code", "segment__text__transcript__interview")
        .order_by("segment__code__order", "segment__text_id", "segment__start", "pk")
    )
    return render(
        request,
        "analysis/condensation_groups.html",
        _context(request, evaluation, 3, groups=all_groups, subgroups=subgroups, units=units),
    )


def _groups_post(request, evaluation) -> None:
    post, user = request.POST, request.user
    op = post.get("op")
    if op == "add_group":
        attempt(
            request,
            _("The code group was added."),
            condensation.add_group,
            user,
            evaluation,
            post.get("name", ""),
        )
    elif op == "add_subgroup":
        attempt(
            request,
            _("The sub-group was added."),
            condensation.add_subgroup,
            user,
            evaluation,
            parse_id(post.get("group", "")),
            post.get("name", ""),
        )
    elif op in ("rename_group", "rename_subgroup"):
        attempt(
            request,
            _("The name was changed."),
            condensation.rename,
            user,
            evaluation,
            op.removeprefix("rename_"),
            parse_id(post.get("pk", "")),
            post.get("name", ""),
        )
    elif op in ("delete_group", "delete_subgroup"):
        attempt(
            request,
            _("It was deleted; its meaning units are kept, unsorted."),
            condensation.delete_group,
            user,
            evaluation,
            op.removeprefix("delete_"),
            parse_id(post.get("pk", "")),
        )
    elif op == "sort":
        # An id that cannot be one becomes -1, which the action refuses with its message.
        assignments = {}
        for key, value in post.items():
            if key.startswith("unit-"):
                unit_id = parse_id(key.removeprefix("unit-"))
                sub_id = None if value == "" else parse_id(value)
                assignments[-1 if unit_id is None else unit_id] = (
                    -1 if value != "" and sub_id is None else sub_id
                )
        attempt(
            request,
            _("The meaning units were sorted."),
            condensation.assign_units,
            user,
            evaluation,
            assignments,
        )
    elif op == "condensate":
        attempt(
            request,
            _("The condensate was saved."),
            condensation.save_condensate,
            user,
            evaluation,
            parse_id(post.get("subgroup", "")),
            post.get("condensate", ""),
        )


@evaluation_view(Action.VIEW_WORK)
def synthesis(request, evaluation):
    """Step 4: a synthesis per code group and an illustrative quote per sub-group."""
    if request.method == "POST":

        def handle():
            post = request.POST
            if post.get("op") == "quote":
                unit = post.get("unit", "")
                attempt(
                    request,
                    _("The illustrative quote was chosen."),
                    condensation.choose_quote,
                    request.user,
                    evaluation,
                    parse_id(post.get("subgroup", "")),
                    None if unit == "" else (parse_id(unit) or -1),
                )
            else:
                attempt(
                    request,
                    _("The synthesis was saved."),
                    condensation.save_synthesis,
                    request.user,
                    evaluation,
                    parse_id(post.get("group", "")),
                    post.get("synthesis", ""),
                )

        return _post(request, evaluation, "analysis:condensation_synthesis", handle)
    return render(
        request,
        "analysis/condensation_synthesis.html",
        _context(request, evaluation, 4, groups=_groups(evaluation, request.user)),
    )


def dashboard_line(evaluation) -> str:
    """The condensation's state in one line for the dashboard ("" before it is begun)."""
    if not Condensation.objects.filter(evaluation=evaluation).exists():
        return ""
    state = condensation.progress(evaluation)
    if state.done:
        return _("Condensation: all four steps done.")
    return _("Condensation: step %(step)d of 4, %(missing)d things missing.") % {
        "step": state.step,
        "missing": len(state.missing),
    }


@evaluation_view(Action.VIEW_WORK)
def display_page(request, evaluation):
    """The 2 x 2 display: themes, quotes and short texts in four fields; prints as it stands."""
    if request.method == "POST":
        return _post(
            request, evaluation, "analysis:display", lambda: _display_post(request, evaluation)
        )
    actions.sync_guide_codes(evaluation)
    placed = dict((key, items) for key, _label, items in display.fields(evaluation, request.user))
    hidden = CodedSegment.objects.filter(agreement.hidden_segments(request.user))
    held = Display.objects.filter(evaluation=evaluation).first()
    return render(
        request,
        "analysis/display.html",
        {
            "evaluation": evaluation,
            "title": held.title if held else "",
            "placed": placed,
            "field_choices": DisplayItem.Field.choices,
            "codes": Code.objects.filter(evaluation=evaluation).order_by("kind", "order", "pk"),
            "units": MeaningUnit.objects.filter(condensation__evaluation=evaluation)
            .exclude(segment__in=hidden)
            .select_related("segment__text__transcript__interview")
            .order_by("segment__code__order", "segment__text_id", "segment__start", "pk"),
            "can_code": Action.CODE in request.bsb_actions,
            "nav_active": "analysis",
        },
    )


def _display_post(request, evaluation) -> None:
    post, user = request.POST, request.user
    op = post.get("op")
    field = post.get("field", "")
    if op == "place":
        code_id = parse_id(post["code"]) if post.get("code") else None
        segment_id = parse_id(post["segment"]) if post.get("segment") else None
        # A value that cannot be an id is still "something chosen": -1, refused by the action.
        code_id = -1 if post.get("code") and code_id is None else code_id
        segment_id = -1 if post.get("segment") and segment_id is None else segment_id
        attempt(
            request,
            _("It was placed in the display."),
            display.place,
            user,
            evaluation,
            field,
            code_id,
            segment_id,
            post.get("text", ""),
        )
    elif op == "move":
        attempt(
            request,
            _("It was moved."),
            display.move,
            user,
            evaluation,
            parse_id(post.get("item", "")),
            field,
        )
    elif op == "remove":
        attempt(
            request,
            _("It was taken off the display."),
            display.remove,
            user,
            evaluation,
            parse_id(post.get("item", "")),
        )
    elif op == "title":
        attempt(
            request,
            _("The title was saved."),
            display.set_title,
            user,
            evaluation,
            post.get("title", ""),
        )

"""Views of analysis: code quotes in a de-identified text, and the matrix of themes x groups."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.conference.actions import validation_summary
from bsbstudio.guide.forms import parse_id
from bsbstudio.transcripts.models import DeidentifiedText
from bsbstudio.web.highlight import split_marks
from bsbstudio.web.messages import user_message

from . import actions
from .engine.matrix import build_matrix
from .forms import CODE_NAME_MAX_LENGTH, CodeSegmentForm, EmergentCodeForm
from .models import Code, CodedSegment
from .queries import matrix_segments


@evaluation_view(Action.VIEW_WORK)
def text(request, evaluation, pk):
    """A de-identified transcript with its coded quotes; select text to code it."""
    deidentified = get_object_or_404(
        DeidentifiedText.objects.select_related("transcript__interview"),
        pk=pk,
        transcript__interview__evaluation=evaluation,
    )
    actions.sync_guide_codes(evaluation)
    can_code = Action.CODE in request.bsb_actions
    form = CodeSegmentForm(request.POST or None, evaluation=evaluation) if can_code else None
    if request.method == "POST" and can_code and "new_code" in request.POST:
        _add_emergent_code(request, evaluation)
        return redirect(request.path)
    if request.method == "POST" and can_code:
        if form.is_valid():
            try:
                segment = _code_from_form(request.user, deidentified, form.cleaned_data)
            except actions.SegmentError as error:
                form.add_error(None, user_message(error))
            else:
                messages.success(
                    request, _("The quote was coded to %(code)s.") % {"code": segment.code.name}
                )
                return redirect(f"{request.path}#segment-{segment.pk}")
        messages.error(request, _("The quote was not coded. See the message by the form."))
    segments = list(deidentified.coded_segments.select_related("code"))
    turns = deidentified.turns.select_related("participation__informant__group")
    rows = [
        (turn, split_marks(deidentified.text, turn.start, turn.end, segments)) for turn in turns
    ]
    return render(
        request,
        "analysis/text.html",
        {
            "evaluation": evaluation,
            "deidentified": deidentified,
            "rows": rows,
            "form": form,
            "segments": segments,
            "interview": deidentified.transcript.interview,
            "code_name_max_length": CODE_NAME_MAX_LENGTH,
            "nav_active": "analysis",
        },
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


def _code_from_form(actor, deidentified, data) -> CodedSegment:
    """Turn the form's selection or pasted quote into exact offsets and code it."""
    start, end, quote = data.get("start"), data.get("end"), data["quote"]
    if start is None or end is None or deidentified.text[start:end].strip() != quote.strip():
        start, end = actions.locate_quote(deidentified.text, quote, near=start)
    return actions.code_segment(
        actor, deidentified, data["code"], start, end, data["polarity"], data["directness"]
    )


@require_POST
@evaluation_view(Action.CODE)
def uncode(request, evaluation, pk):
    """Remove a coded quote."""
    segment = get_object_or_404(CodedSegment, pk=pk, code__evaluation=evaluation)
    text_pk = segment.text_id
    actions.delete_segment(request.user, segment)
    messages.success(request, _("The coding was removed."))
    return redirect("analysis:text", evaluation.slug, text_pk)


def _site_filter(request, evaluation):
    site_id = parse_id(request.GET.get("site", ""))
    return evaluation.sites.filter(pk=site_id).first() if site_id is not None else None


@evaluation_view(Action.VIEW_WORK)
def matrix(request, evaluation):
    """The coarse matrix: coded quotes counted by theme and informant group, as a heat map."""
    actions.sync_guide_codes(evaluation)
    site = _site_filter(request, evaluation)
    codes = list(Code.objects.filter(evaluation=evaluation).order_by("kind", "order", "pk"))
    groups = list(evaluation.informant_groups.all())
    built = build_matrix(
        matrix_segments(evaluation),
        [c.pk for c in codes],
        [g.pk for g in groups],
        site_id=site.pk if site else None,
    )
    # How the dialogue conference(s) received each theme (confirmed, nuanced, ...), if at all.
    received = validation_summary(evaluation)
    rows = []
    for code, cells in zip(codes, (cells for _id, cells in built.rows()), strict=True):
        code.received = received.get(code.pk, [])
        rows.append(
            (
                code,
                [
                    (
                        group,
                        cell,
                        min(5, round(5 * built.intensity(code.pk, group.pk))) if cell.count else 0,
                    )
                    for group, cell in zip(groups, cells, strict=True)
                ],
                built.row_total(code.pk),
            )
        )
    texts = (
        DeidentifiedText.objects.filter(transcript__interview__evaluation=evaluation)
        .select_related("transcript__interview")
        .order_by("transcript__interview__code")
    )
    return render(
        request,
        "analysis/matrix.html",
        {
            "evaluation": evaluation,
            "rows": rows,
            "groups": groups,
            "matrix": built,
            "column_totals": [built.column_total(g.pk) for g in groups],
            "site": site,
            "sites": evaluation.sites.all(),
            "texts": texts,
            "received": bool(received),
            "nav_active": "analysis",
        },
    )


@evaluation_view(Action.VIEW_WORK)
def cell(request, evaluation, code_pk, group_pk):
    """The quotes of one matrix cell (a panel loaded into the matrix page, or a page of its own)."""
    code = get_object_or_404(Code, pk=code_pk, evaluation=evaluation)
    group = get_object_or_404(evaluation.informant_groups, pk=group_pk)
    site = _site_filter(request, evaluation)
    ids = [
        s.segment_id
        for s in matrix_segments(evaluation)
        if s.theme_id == code.pk
        and s.group_id == group.pk
        and (site is None or s.site_id == site.pk)
    ]
    quotes = CodedSegment.objects.filter(pk__in=ids).select_related(
        "text__transcript__interview__site"
    )
    template = "analysis/cell_panel.html" if request.htmx else "analysis/cell.html"
    return render(
        request,
        template,
        {
            "evaluation": evaluation,
            "code": code,
            "group": group,
            "site": site,
            "quotes": quotes,
            "nav_active": "analysis",
        },
    )

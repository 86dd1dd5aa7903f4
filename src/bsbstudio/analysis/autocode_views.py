"""Pages of auto-coding: a rule previewed then applied to the ticked turns, and learned suggestions."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.guide.forms import parse_id
from bsbstudio.web.messages import user_message

from . import actions, autocode
from .models import Code, CodedSegment
from .search_views import _speakers

POLARITIES = dict(CodedSegment.Polarity.choices)
DIRECTNESSES = dict(CodedSegment.Directness.choices)


@evaluation_view(Action.CODE)
def rule(request, evaluation):
    """Choose a rule (GET), see every turn it would code, tick and apply (POST)."""
    actions.sync_guide_codes(evaluation)
    params = request.POST if request.method == "POST" else request.GET
    speakers = _speakers(evaluation)
    texts = list(
        autocode.newest_texts(evaluation)
        .select_related("transcript__interview")
        .order_by("transcript__interview__code", "pk")
    )
    chosen = _rule(params, evaluation, speakers, {t.pk for t in texts})
    result = error = None
    asked = "code" in params
    if asked and chosen.code is None:
        error = _("Choose the theme to code to.")
    elif asked:
        try:
            if request.method == "POST":
                count = autocode.apply(
                    request.user,
                    evaluation,
                    chosen,
                    [parse_id(v) for v in params.getlist("turn")],
                    _choice(params, "polarity", POLARITIES, "neutral"),
                    _choice(params, "directness", DIRECTNESSES, "direct"),
                )
                messages.success(
                    request,
                    ngettext(
                        "%(count)d place was coded to %(code)s.",
                        "%(count)d places were coded to %(code)s.",
                        count,
                    )
                    % {"count": count, "code": chosen.code.name},
                )
                return redirect(reverse("analysis:autocode", args=[evaluation.slug]))
            result = autocode.preview(request.user, evaluation, chosen)
        except autocode.AutocodeError as refused:
            error = user_message(refused)
    return render(
        request,
        "analysis/autocode.html",
        {
            "evaluation": evaluation,
            "chosen": chosen,
            "codes": Code.objects.filter(evaluation=evaluation).order_by("kind", "order", "pk"),
            "groups": evaluation.informant_groups.order_by("order", "pk"),
            "speakers": speakers,
            "texts": texts,
            "result": result,
            "error": error,
            "limit": autocode.PREVIEW_LIMIT,
            "polarities": CodedSegment.Polarity.choices,
            "directnesses": CodedSegment.Directness.choices,
            "nav_active": "analysis",
        },
    )


def _rule(params, evaluation, speakers, text_ids) -> autocode.Rule:
    """The rule asked for, with anything not of this evaluation left out."""
    code_pk = parse_id(params.get("code", ""))
    group_pk = parse_id(params.get("group", ""))
    speaker = params.get("speaker", "")
    return autocode.Rule(
        code=Code.objects.filter(evaluation=evaluation, pk=code_pk).first()
        if code_pk is not None
        else None,
        query=params.get("q", "")[:300],
        group=evaluation.informant_groups.filter(pk=group_pk).first()
        if group_pk is not None
        else None,
        speaker=speaker if speaker in speakers else "",
        texts=sorted({pk for pk in map(parse_id, params.getlist("texts")) if pk in text_ids}),
    )


def _choice(params, name, allowed, default):
    value = params.get(name, default)
    return value if value in allowed else default


@evaluation_view(Action.CODE)
def suggestions(request, evaluation):
    """Themes proposed for uncoded turns; accept or reject each."""
    if request.method == "POST":
        _decide(request, evaluation)
        return redirect(reverse("analysis:suggestions", args=[evaluation.slug]))
    training = autocode.request_retraining(evaluation)
    state = autocode.state_of(evaluation)
    names = dict(Code.objects.filter(evaluation=evaluation).values_list("pk", "name"))
    too_few = sorted(
        (names.get(int(pk), "?"), n) for pk, n in state.too_few.items() if int(pk) in names
    )
    return render(
        request,
        "analysis/autocode_suggestions.html",
        {
            "evaluation": evaluation,
            "state": state,
            "training": training,
            "too_few": too_few,
            "minimum": autocode.suggest.MIN_QUOTES_PER_THEME,
            "turns": autocode.pending(evaluation),
            "polarities": CodedSegment.Polarity.choices,
            "directnesses": CodedSegment.Directness.choices,
            "nav_active": "analysis",
        },
    )


def _decide(request, evaluation) -> None:
    suggestion = parse_id(request.POST.get("suggestion", ""))
    try:
        if request.POST.get("decision") == "accept":
            segment = autocode.accept(
                request.user,
                evaluation,
                suggestion,
                _choice(request.POST, "polarity", POLARITIES, "neutral"),
                _choice(request.POST, "directness", DIRECTNESSES, "direct"),
            )
            messages.success(
                request, _("The quote was coded to %(code)s.") % {"code": segment.code.name}
            )
        elif request.POST.get("decision") == "reject":
            autocode.reject(request.user, evaluation, suggestion)
            messages.success(request, _("The suggestion was rejected and will not come back."))
        else:
            messages.error(request, _("Choose to accept or reject the suggestion."))
    except (autocode.AutocodeError, actions.SegmentError) as refused:
        messages.error(request, user_message(refused))

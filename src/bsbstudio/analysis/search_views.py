"""The search page of analysis: find words in the de-identified material and code a hit from there."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.guide.forms import parse_id
from bsbstudio.transcripts.models import DeidentifiedText, SpeakerTurn
from bsbstudio.web.messages import user_message

from . import actions
from .coding import code_from_form
from .forms import CodeSegmentForm
from .models import Code, CodedSegment, SearchEntry
from .search import EmptyQuery, search_visible

PAGE_SIZE = 20
# Deeper pages are not worth the database's time: nobody reads past them; narrow the search.
MAX_PAGE = 500
FILTERS = ("q", "kind", "site", "group", "code", "speaker", "page")
# What a search may be limited to: the interviews' turns, the coded quotes or the memos.
KINDS = {
    "turn": SearchEntry.Kind.TURN,
    "quote": SearchEntry.Kind.QUOTE,
    "memo": SearchEntry.Kind.MEMO,
}


@evaluation_view(Action.VIEW_WORK)
def search(request, evaluation):
    """Hits in context for the words searched (``?q=``), filtered; a form to code each text hit."""
    can_code = Action.CODE in request.bsb_actions
    if request.method == "POST":
        if not can_code:
            raise PermissionDenied
        return _code_hit(request, evaluation)
    actions.sync_guide_codes(evaluation)
    speakers = _speakers(evaluation)
    chosen = _filters(request.GET, evaluation, speakers)
    page = min(max(parse_id(request.GET.get("page", "1")) or 1, 1), MAX_PAGE)
    query = request.GET.get("q")
    result = error = None
    if query is not None:
        try:
            result = search_visible(
                request.user,
                evaluation,
                query,
                site=chosen["site"],
                group=chosen["group"],
                code=chosen["code"],
                speaker=chosen["speaker"],
                kind=KINDS.get(chosen["kind"]),
                limit=PAGE_SIZE,
                offset=(page - 1) * PAGE_SIZE,
            )
        except EmptyQuery as refused:
            error = user_message(refused)
    back = _querystring(request.GET)
    pages = -(-result.total // PAGE_SIZE) if result else 0
    return render(
        request,
        "analysis/search.html",
        {
            "evaluation": evaluation,
            "query": (query or "")[:300],
            "chosen": chosen,
            "sites": evaluation.sites.order_by("order", "pk"),
            "groups": evaluation.informant_groups.order_by("order", "pk"),
            "codes": Code.objects.filter(evaluation=evaluation).order_by("kind", "order", "pk"),
            "speakers": speakers,
            "kinds": [
                ("turn", _("Interviews")),
                ("quote", _("Quotes")),
                ("memo", _("Memos")),
            ],
            "result": result,
            "error": error,
            "page": page,
            "first_number": (page - 1) * PAGE_SIZE + 1,
            "previous_page": _querystring(request.GET, page=page - 1) if page > 1 else None,
            "next_page": _querystring(request.GET, page=page + 1)
            if page < min(pages, MAX_PAGE)
            else None,
            "pages": pages,
            "back": back,
            "can_code": can_code,
            "polarities": CodedSegment.Polarity.choices,
            "directnesses": CodedSegment.Directness.choices,
            "nav_active": "search",
        },
    )


def _filters(params, evaluation, speakers) -> dict:
    """The filters chosen, as objects of this evaluation; anything else is ignored."""

    def one(queryset, name):
        pk = parse_id(params.get(name, ""))
        return queryset.filter(pk=pk).first() if pk is not None else None

    speaker, kind = params.get("speaker", ""), params.get("kind", "")
    return {
        "kind": kind if kind in KINDS else None,
        "site": one(evaluation.sites, "site"),
        "group": one(evaluation.informant_groups, "group"),
        "code": one(Code.objects.filter(evaluation=evaluation), "code"),
        "speaker": speaker if speaker in speakers else None,
    }


def _speakers(evaluation) -> list[str]:
    """The speaker codes used in the evaluation's de-identified texts ("I", "D1", ...)."""
    return list(
        SpeakerTurn.objects.filter(deidentified_text__transcript__interview__evaluation=evaluation)
        .exclude(speaker_code="")
        .values_list("speaker_code", flat=True)
        .distinct()
        .order_by("speaker_code")
    )


def _querystring(params, **changes) -> str:
    """The search's own parameters (and no others), with ``changes`` applied."""
    kept = {name: params.get(name) for name in FILTERS if params.get(name)}
    kept.update({name: str(value) for name, value in changes.items()})
    return urlencode(kept)


def _code_hit(request, evaluation):
    """Code the quote proposed for a hit (the person may have shortened it), then go back."""
    back = _querystring(QueryDict(request.POST.get("back", "")[:2000]))
    hit = parse_id(request.POST.get("hit", ""))
    target = reverse("analysis:search", args=[evaluation.slug]) + (f"?{back}" if back else "")
    target += f"#hit-{hit}" if hit is not None else ""
    text_pk = parse_id(request.POST.get("text", ""))
    deidentified = (
        DeidentifiedText.objects.filter(
            pk=text_pk, transcript__interview__evaluation=evaluation
        ).first()
        if text_pk is not None
        else None
    )
    if deidentified is None:
        messages.error(request, _("The hit was not coded: its text was not found."))
        return redirect(target)
    form = CodeSegmentForm(request.POST, evaluation=evaluation)
    if not form.is_valid():
        reasons = [
            f"{form.fields[name].label}: {' '.join(errors)}"
            if name in form.fields
            else " ".join(errors)
            for name, errors in form.errors.items()
        ]
        messages.error(
            request, _("The hit was not coded: %(reason)s") % {"reason": " ".join(reasons)}
        )
        return redirect(target)
    try:
        segment = code_from_form(request.user, deidentified, form.cleaned_data)
    except actions.SegmentError as error:
        messages.error(
            request, _("The hit was not coded: %(reason)s") % {"reason": user_message(error)}
        )
    else:
        messages.success(
            request, _("The quote was coded to %(code)s.") % {"code": segment.code.name}
        )
    return redirect(target)

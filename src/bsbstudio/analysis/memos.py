"""The memo page: memos on the evaluation, its themes, transcripts and quotes, listed and searched.

The search is the analysis search (Norwegian stems, phrases, prefixes) limited to memos.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bsbstudio.accounts.policy import Action, evaluation_view
from bsbstudio.guide.forms import parse_id
from bsbstudio.transcripts.models import DeidentifiedText
from bsbstudio.web.messages import user_message

from . import actions, agreement
from .models import Code, CodedSegment, Memo, SearchEntry
from .search import COUNT_LIMIT, EmptyQuery, search_visible
from .speakers import with_speakers

MEMOS_PER_PAGE = 50
SEARCH_MAX_LENGTH = 200
# The search counts its hits up to a limit; pages past it are not offered.
MAX_SEARCH_PAGE = -(-COUNT_LIMIT // MEMOS_PER_PAGE)


class MemoForm(forms.Form):
    """A memo, and what it is about: "evaluation", "code:<id>", "text:<id>" or "segment:<id>"."""

    body = forms.CharField(
        label=gettext_lazy("Memo"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=actions.MEMO_MAX_LENGTH,
        error_messages={"required": gettext_lazy("Write something in the memo.")},
    )
    about = forms.CharField(max_length=40)


def _about(evaluation, user, about: str) -> dict | None:
    """The object a memo is about, as keyword arguments of ``write_memo``; None if there is none."""
    if about == "evaluation":
        return {}
    kind, _sep, raw = about.partition(":")
    pk = parse_id(raw)
    if pk is None:
        return None
    if kind == "code":
        code = Code.objects.filter(pk=pk, evaluation=evaluation).first()
        return {"code": code} if code else None
    if kind == "text":
        text = DeidentifiedText.objects.filter(
            pk=pk, transcript__interview__evaluation=evaluation
        ).first()
        return {"deidentified_text": text} if text else None
    if kind == "segment":
        segment = (
            CodedSegment.objects.exclude(agreement.hidden_segments(user))
            .filter(pk=pk, code__evaluation=evaluation)
            .first()
        )
        return {"segment": segment} if segment else None
    return None


def _back(request, evaluation):
    """Back to the text page the memo was written on, or to the memo page."""
    text_id = parse_id(request.POST.get("back_to_text", ""))
    if (
        text_id is not None
        and DeidentifiedText.objects.filter(
            pk=text_id, transcript__interview__evaluation=evaluation
        ).exists()
    ):
        return redirect("analysis:text", evaluation.slug, text_id)
    return redirect("analysis:memos", evaluation.slug)


def _write(request, evaluation):
    form = MemoForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("The memo was not saved: %(errors)s")
            % {"errors": " ".join(str(e) for errors in form.errors.values() for e in errors)},
        )
        return _back(request, evaluation)
    about = _about(evaluation, request.user, form.cleaned_data["about"])
    if about is None:
        messages.error(request, _("The memo was not saved: what it is about was not found."))
        return _back(request, evaluation)
    try:
        actions.write_memo(request.user, evaluation, form.cleaned_data["body"], **about)
    except actions.SegmentError as error:
        messages.error(request, user_message(error))
    else:
        messages.success(request, _("The memo was saved."))
    return _back(request, evaluation)


def visible_memos(user, evaluation):
    """The evaluation's memos, less those on quotes hidden from ``user`` in a blind double coding."""
    hidden = CodedSegment.objects.filter(agreement.hidden_segments(user)).values("pk")
    return (
        Memo.objects.filter(evaluation=evaluation)
        .exclude(segment__in=hidden)
        .select_related(
            "author", "code", "segment__code", "deidentified_text__transcript__interview"
        )
        .order_by("-created_at", "-pk")
    )


def _found(user, evaluation, query: str, page: int) -> tuple[list, int, bool]:
    """One page of the memos matching ``query`` (stemmed), each with its ``hit`` in context.

    Returns the memos, how many matched in all (counted up to the search's limit) and whether
    there were more. Raises ``search.EmptyQuery`` when the query has no word.
    """
    result = search_visible(
        user,
        evaluation,
        query,
        kind=SearchEntry.Kind.MEMO,
        limit=MEMOS_PER_PAGE,
        offset=(page - 1) * MEMOS_PER_PAGE,
    )
    by_pk = visible_memos(user, evaluation).in_bulk([hit.memo_id for hit in result.hits])
    memos = []
    for hit in result.hits:
        memo = by_pk.get(hit.memo_id)
        if memo is not None:
            memo.hit = hit
            memos.append(memo)
    return memos, result.total, result.more


@evaluation_view(Action.VIEW_WORK)
def memo_list(request, evaluation):
    """Every memo of the evaluation, newest first, or those a (stemmed) search finds; write one."""
    can_write = Action.CODE in request.bsb_actions
    if request.method == "POST":
        if not can_write:
            messages.error(request, _("You cannot write memos in this evaluation."))
            return redirect("analysis:memos", evaluation.slug)
        return _write(request, evaluation)
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH].replace("\x00", "")
    number = parse_id(request.GET.get("page", "1")) or 1
    error, more = None, False
    if query:
        number = min(number, MAX_SEARCH_PAGE)
        try:
            memos, total, more = _found(request.user, evaluation, query, number)
        except EmptyQuery as refused:
            memos, total, error = [], 0, user_message(refused)
    else:
        page = Paginator(visible_memos(request.user, evaluation), MEMOS_PER_PAGE).get_page(number)
        memos, total, number = list(page.object_list), page.paginator.count, page.number
    pages = -(-total // MEMOS_PER_PAGE)
    last = min(pages, MAX_SEARCH_PAGE) if query else pages
    with_speakers(m.segment for m in memos if m.segment)
    return render(
        request,
        "analysis/memos.html",
        {
            "evaluation": evaluation,
            "memos": memos,
            "total": total,
            "more": more,
            "page": number,
            "pages": pages,
            "previous_page": number - 1 if number > 1 else None,
            "next_page": number + 1 if number < last else None,
            "query": query,
            "error": error,
            "can_write": can_write,
            "codes": list(evaluation.codes.order_by("kind", "order", "pk")) if can_write else [],
            "text_url": reverse("analysis:text", args=[evaluation.slug, 0])[:-2],
            "nav_active": "analysis",
        },
    )

"""Analysis actions: keep guide codes in step with the guide, code quotes, remove them."""

from __future__ import annotations

from django.db import transaction

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, require
from bsbstudio.errors import UserFacingError, gettext_noop

from .models import Code, CodedSegment
from .placement import place


class SegmentError(UserFacingError):
    """A quote that cannot be coded: outside the text, empty, or not found."""


def sync_guide_codes(evaluation) -> None:
    """Give every guide theme its code (named and ordered like the theme)."""
    codes = {
        code.theme_id: code
        for code in Code.objects.filter(evaluation=evaluation, theme__isnull=False)
    }
    for theme in evaluation.themes.all():
        code = codes.get(theme.pk)
        if code is None:
            Code.objects.create(
                evaluation=evaluation,
                theme=theme,
                name=theme.name,
                kind=Code.Kind.GUIDE,
                order=theme.order,
            )
        elif (code.name, code.order) != (theme.name, theme.order):
            code.name, code.order = theme.name, theme.order
            code.save(update_fields=["name", "order"])


def locate_quote(text: str, quote: str, near: int | None = None) -> tuple[int, int]:
    """Where ``quote`` stands in ``text`` (the occurrence nearest ``near``); SegmentError if absent."""
    quote = quote.strip()
    if not quote:
        raise SegmentError("empty", gettext_noop("The quote is empty: select or paste some text."))
    starts, at = [], text.find(quote)
    while at != -1:
        starts.append(at)
        at = text.find(quote, at + 1)
    if not starts:
        raise SegmentError(
            "not_found",
            gettext_noop(
                "The quote was not found in the de-identified text. Copy it exactly as it stands there."
            ),
        )
    start = min(starts, key=lambda s: abs(s - near)) if near is not None else starts[0]
    return start, start + len(quote)


def starting_turn(deidentified_text, start: int):
    """The speaker turn of the text that a quote starting at ``start`` starts in (None before any)."""
    return (
        deidentified_text.turns.filter(start__lte=start)
        .select_related("participation__informant")
        .order_by("-start", "-order")
        .first()
    )


@transaction.atomic
def code_segment(
    actor, deidentified_text, code, start: int, end: int, polarity: str, directness: str
) -> CodedSegment:
    """Code text[start:end] of a de-identified text; offsets are code points, end exclusive."""
    evaluation = code.evaluation
    require(actor, evaluation, Action.CODE)
    length = len(deidentified_text.text)
    if not (0 <= start < end <= length):
        raise SegmentError(
            "out_of_range",
            gettext_noop(
                "The selection (%(start)d–%(end)d) runs outside the text, which is %(length)d characters long."
            ),
            start=start,
            end=end,
            length=length,
        )
    quote = deidentified_text.text[start:end]
    if not quote.strip():
        raise SegmentError("empty", gettext_noop("The quote is empty: select or paste some text."))
    segment = CodedSegment(
        text=deidentified_text,
        code=code,
        turn=starting_turn(deidentified_text, start),
        start=start,
        end=end,
        quote=quote,
        polarity=polarity,
        directness=directness,
        created_by=actor,
    )
    place(segment)  # its group, site and interview in the matrix
    segment.save()
    record(actor, "analysis.code", segment, evaluation, code=code.pk)
    return segment


@transaction.atomic
def create_emergent_code(actor, evaluation, name: str) -> Code:
    """Add a theme found in the material (not in the guide) as a code; reuse one of the same name."""
    require(actor, evaluation, Action.CODE)
    name = name.strip()
    if not name:
        raise SegmentError("empty_code", gettext_noop("Write a name for the new theme."))
    limit = Code._meta.get_field("name").max_length
    # Checked before the lookup: an unbounded name makes a LIKE pattern the database refuses.
    if len(name) > limit:
        raise SegmentError(
            "code_too_long",
            gettext_noop(
                "A theme name can be at most %(limit_value)d characters long; "
                "this one has %(show_value)d."
            ),
            limit_value=limit,
            show_value=len(name),
        )
    code = Code.objects.filter(evaluation=evaluation, name__iexact=name).first()
    if code is None:
        code = Code.objects.create(evaluation=evaluation, name=name, kind=Code.Kind.EMERGENT)
        record(actor, "analysis.code.create", code, evaluation)
    return code


@transaction.atomic
def delete_segment(actor, segment: CodedSegment) -> None:
    """Remove a coded quote."""
    evaluation = segment.code.evaluation
    require(actor, evaluation, Action.CODE)
    record(actor, "analysis.uncode", segment, evaluation, code=segment.code_id)
    segment.delete()


def merge_codes(source: Code, target: Code) -> dict[str, int]:
    """Move every quote and memo of ``source`` to ``target``; return how many of each moved.

    The caller checks permission, runs in a transaction, writes the audit record and decides
    what becomes of ``source`` (merging guide themes deletes it with its theme).
    """
    if source.evaluation_id != target.evaluation_id or source.pk == target.pk:
        raise ValueError("codes can only be merged into another code of the same evaluation")
    segments = CodedSegment.objects.filter(code=source).update(code=target)
    memos = source.memos.update(code=target)
    return {"segments": segments, "memos": memos}

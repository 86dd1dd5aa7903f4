"""Analysis actions: keep guide codes in step with the guide, code quotes, change, remove and undo them."""

from __future__ import annotations

from django.db import transaction

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, require
from bsbstudio.errors import UserFacingError, gettext_noop

from .colours import in_palette
from .models import Code, CodedSegment, CodingStep, Memo
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


def quote_turn(deidentified_text, start: int, end: int):
    """The turn that places a quote in the matrix: the first participant's turn it covers.

    A dialogue quote (the interviewer's question and the answer) counts for the one who
    answered; a quote with no participant's words keeps the turn it starts in.
    """
    spoken = (
        deidentified_text.turns.filter(start__lt=end, end__gt=start, participation__isnull=False)
        .select_related("participation__informant")
        .order_by("start", "order")
        .first()
    )
    return spoken or starting_turn(deidentified_text, start)


@transaction.atomic
def code_segment(
    actor, deidentified_text, code, start: int, end: int, polarity: str, directness: str
) -> CodedSegment:
    """Code text[start:end] of a de-identified text; offsets are code points, end exclusive."""
    evaluation = code.evaluation
    require(actor, evaluation, Action.CODE)
    _check_span(deidentified_text, start, end)
    quote = deidentified_text.text[start:end]
    segment = CodedSegment(
        text=deidentified_text,
        code=code,
        turn=quote_turn(deidentified_text, start, end),
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
    """Remove a coded quote; the remover can undo it."""
    evaluation = segment.code.evaluation
    require(actor, evaluation, Action.CODE)
    record(actor, "analysis.uncode", segment, evaluation, code=segment.code_id)
    _log(actor, segment.text_id, segment.pk, CodingStep.Kind.DELETE, coding_of(segment), {})
    segment.delete()


# The workbench: coding that its coder can change, undo and redo.

CODING_FIELDS = ("code", "start", "end", "polarity", "directness")


def coding_of(segment: CodedSegment) -> dict:
    """What a quote is coded as: its theme, span, polarity and directness."""
    return {
        "code": segment.code_id,
        "start": segment.start,
        "end": segment.end,
        "polarity": segment.polarity,
        "directness": segment.directness,
    }


def _log(actor, text_id: int, segment_id: int, kind: str, before: dict, after: dict) -> None:
    """Keep a step to undo; a new step makes the steps undone before it no longer redoable."""
    CodingStep.objects.filter(user=actor, text_id=text_id, undone=True).delete()
    CodingStep.objects.create(
        user=actor, text_id=text_id, segment_id=segment_id, kind=kind, before=before, after=after
    )


def _check_span(deidentified_text, start: int, end: int) -> None:
    length = len(deidentified_text.text)
    if 0 <= start == end <= length:
        raise SegmentError("empty", gettext_noop("The quote is empty: select or paste some text."))
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
    if not deidentified_text.text[start:end].strip():
        raise SegmentError("empty", gettext_noop("The quote is empty: select or paste some text."))


def _refuse_overlap(actor, deidentified_text, code, start: int, end: int, other_than=None) -> None:
    """The same passage coded twice to one theme by one coder would count twice in the matrix."""
    overlapping = CodedSegment.objects.filter(
        text=deidentified_text, code=code, created_by=actor, start__lt=end, end__gt=start
    )
    if other_than is not None:
        overlapping = overlapping.exclude(pk=other_than)
    if overlapping.exists():
        raise SegmentError(
            "overlap",
            gettext_noop(
                "You have already coded part of this passage to %(theme)s. Change that quote instead."
            ),
            theme=code.name,
        )


@transaction.atomic
def code_selection(
    actor, deidentified_text, code, start: int, end: int, polarity: str, directness: str
) -> CodedSegment:
    """Code a selection in the workbench, keeping the step so that the coder can undo it.

    An overlap with the coder's own quote of the same theme is refused.
    """
    require(actor, code.evaluation, Action.CODE)
    _check_span(deidentified_text, start, end)
    _refuse_overlap(actor, deidentified_text, code, start, end)
    segment = code_segment(actor, deidentified_text, code, start, end, polarity, directness)
    _log(actor, deidentified_text.pk, segment.pk, CodingStep.Kind.CREATE, {}, coding_of(segment))
    return segment


def _apply(segment: CodedSegment, coding: dict) -> None:
    """Give a quote the coding ``coding``: its span, theme and polarity, its turn and matrix place."""
    text = segment.text
    segment.code_id = coding["code"]
    segment.polarity, segment.directness = coding["polarity"], coding["directness"]
    if (segment.start, segment.end) != (coding["start"], coding["end"]) or segment.turn_id is None:
        segment.start, segment.end = coding["start"], coding["end"]
        segment.quote = text.text[segment.start : segment.end]
        segment.turn = quote_turn(text, segment.start, segment.end)
    place(segment)
    segment.save()  # through save, so its search entry follows


@transaction.atomic
def edit_segment(actor, segment: CodedSegment, **changes) -> CodedSegment:
    """Change a quote's theme, span (start, end), polarity or directness; the step can be undone."""
    evaluation = segment.code.evaluation
    require(actor, evaluation, Action.CODE)
    segment = CodedSegment.objects.select_for_update().select_related("text").get(pk=segment.pk)
    before = coding_of(segment)
    after = {**before, **{k: v for k, v in changes.items() if k in CODING_FIELDS and v is not None}}
    code = changes.get("code")
    if isinstance(code, Code):
        after["code"] = code.pk
    code = Code.objects.filter(pk=after["code"], evaluation=evaluation).first()
    if code is None:
        raise SegmentError("no_code", gettext_noop("Choose one of the evaluation's themes."))
    if after["polarity"] not in CodedSegment.Polarity.values or (
        after["directness"] not in CodedSegment.Directness.values
    ):
        raise SegmentError("bad_choice", gettext_noop("Choose a polarity and a directness."))
    _check_span(segment.text, after["start"], after["end"])
    if after == before:
        return segment
    _refuse_overlap(actor, segment.text, code, after["start"], after["end"], other_than=segment.pk)
    _apply(segment, after)
    record(actor, "analysis.recode", segment, evaluation, before=before, after=after)
    _log(actor, segment.text_id, segment.pk, CodingStep.Kind.EDIT, before, after)
    return segment


class UndoError(UserFacingError):
    """Nothing to undo or redo, or the quote was changed by someone else since."""


CHANGED_BY_OTHERS = gettext_noop(
    "The quote has been changed by someone else since; nothing was undone."
)


def _current(segment_id: int) -> CodedSegment | None:
    return (
        CodedSegment.objects.select_for_update()
        .select_related("text", "code")
        .filter(pk=segment_id)
        .first()
    )


def _move(actor, step: CodingStep, evaluation, frm: dict, to: dict, verb: str) -> None:
    """Bring a quote from the coding ``frm`` ({} = absent) to ``to``, if it still stands at ``frm``."""
    segment = _current(step.segment_id)
    if (coding_of(segment) if segment else {}) != frm:
        raise UndoError("changed", CHANGED_BY_OTHERS)
    if not to:
        record(actor, f"analysis.{verb}", segment, evaluation, code=segment.code_id)
        segment.delete()
        return
    if segment is None:
        code = Code.objects.filter(pk=to["code"], evaluation=evaluation).first()
        if code is None:
            raise UndoError("changed", CHANGED_BY_OTHERS)
        segment = code_segment(
            actor, step.text, code, to["start"], to["end"], to["polarity"], to["directness"]
        )
        # The quote is back under a new id: the coder's steps follow it.
        CodingStep.objects.filter(text=step.text, segment_id=step.segment_id).update(
            segment_id=segment.pk
        )
        step.segment_id = segment.pk
    else:
        _apply(segment, to)
    record(actor, f"analysis.{verb}", segment, evaluation, step=step.kind)


@transaction.atomic
def undo(actor, deidentified_text) -> CodingStep:
    """Undo the actor's last coding step on this text; refuse if the quote changed since."""
    evaluation = deidentified_text.transcript.interview.evaluation
    require(actor, evaluation, Action.CODE)
    step = (
        CodingStep.objects.filter(user=actor, text=deidentified_text, undone=False)
        .order_by("-id")
        .first()
    )
    if step is None:
        raise UndoError("nothing", gettext_noop("There is nothing to undo."))
    _move(actor, step, evaluation, step.after, step.before, "undo")
    step.undone = True
    step.save(update_fields=["undone", "segment_id"])
    return step


@transaction.atomic
def redo(actor, deidentified_text) -> CodingStep:
    """Redo the coding step the actor undid last on this text; refuse if the quote changed since."""
    evaluation = deidentified_text.transcript.interview.evaluation
    require(actor, evaluation, Action.CODE)
    step = (
        CodingStep.objects.filter(user=actor, text=deidentified_text, undone=True)
        .order_by("id")
        .first()
    )
    if step is None:
        raise UndoError("nothing", gettext_noop("There is nothing to redo."))
    try:
        _move(actor, step, evaluation, step.before, step.after, "redo")
    except UndoError as error:
        if error.code == "changed":
            raise UndoError(
                "changed",
                gettext_noop(
                    "The quote has been changed by someone else since; nothing was redone."
                ),
            ) from None
        raise
    step.undone = False
    step.save(update_fields=["undone", "segment_id"])
    return step


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


MEMO_MAX_LENGTH = 20_000


@transaction.atomic
def write_memo(
    actor, evaluation, body: str, *, code=None, segment=None, deidentified_text=None
) -> Memo:
    """Write a memo on the evaluation, or on one of its themes, transcripts or quotes."""
    require(actor, evaluation, Action.CODE)
    body = body.strip()
    if not body:
        raise SegmentError("empty_memo", gettext_noop("Write something in the memo."))
    if len(body) > MEMO_MAX_LENGTH:
        raise SegmentError(
            "memo_too_long",
            gettext_noop(
                "A memo can be at most %(limit)d characters long; this one has %(length)d."
            ),
            limit=MEMO_MAX_LENGTH,
            length=len(body),
        )
    memo = Memo.objects.create(
        evaluation=evaluation,
        code=code,
        segment=segment,
        deidentified_text=deidentified_text,
        text=body,
        author=actor,
    )
    record(actor, "analysis.memo", memo, evaluation)
    return memo


# The code tree: emergent themes are renamed, described, placed and coloured; guide themes coloured.


class CodeError(UserFacingError):
    """A change to a theme that cannot be made: a bad name, place or colour, or quotes in the way."""


CODE_DESCRIPTION_MAX_LENGTH = 5_000


def code_parents(evaluation) -> dict[int, int]:
    """Each code's parent code: a guide theme's follows the guide, an emergent theme's its own."""
    guide = Code.objects.filter(evaluation=evaluation, theme__parent__isnull=False).values_list(
        "pk", "theme__parent__code"
    )
    emergent = Code.objects.filter(
        evaluation=evaluation, kind=Code.Kind.EMERGENT, parent__evaluation=evaluation
    ).values_list("pk", "parent_id")
    return {pk: parent for pk, parent in [*guide, *emergent] if parent is not None}


def code_forest(codes: list, parent_of: dict[int, int]) -> tuple[list, dict[int, list]]:
    """``codes`` as a tree: the top codes, and the codes right under each code's pk, in list order.

    A code whose parent is not among ``codes``, or that is caught in a cycle, stands on top.
    """
    in_list = {code.pk for code in codes}
    roots: list = []
    children: dict[int, list] = {}
    for code in codes:
        parent, seen = parent_of.get(code.pk), {code.pk}
        while parent is not None and parent not in seen:
            seen.add(parent)
            parent = parent_of.get(parent)
        if parent is None and parent_of.get(code.pk) in in_list:
            children.setdefault(parent_of[code.pk], []).append(code)
        else:
            roots.append(code)
    return roots, children


def _clean_code_text(value: str, what: str, limit: int) -> str:
    value = value.strip()
    if "\x00" in value:
        raise CodeError("null_character", gettext_noop("Null characters are not allowed."))
    if len(value) > limit:
        raise CodeError(
            f"{what}_too_long",
            gettext_noop("The text can be at most %(limit)d characters long; this has %(length)d.")
            if what == "description"
            else gettext_noop(
                "A theme name can be at most %(limit)d characters long; this one has %(length)d."
            ),
            limit=limit,
            length=len(value),
        )
    return value


@transaction.atomic
def edit_code(
    actor,
    code: Code,
    *,
    colour: str = "",
    name: str | None = None,
    description: str | None = None,
    parent_id: int | None = None,
) -> Code:
    """Colour a theme; rename, describe and place an emergent one (``parent_id`` None: on top).

    A guide theme's name and place come from the theme guide, so only its colour changes here.
    """
    evaluation = code.evaluation
    require(actor, evaluation, Action.CODE)
    code = Code.objects.select_for_update().get(pk=code.pk)
    before = {
        "name": code.name,
        "description": code.description,
        "parent": code.parent_id,
        "colour": code.colour,
    }
    colour = colour.strip()
    if colour and in_palette(colour) is None:
        raise CodeError(
            "bad_colour", gettext_noop("Choose one of the colours in the list, or no colour.")
        )
    code.colour = in_palette(colour) or ""
    if code.kind == Code.Kind.GUIDE:
        if (
            (name is not None and name.strip() != code.name)
            or (description is not None and description.strip() != code.description)
            or parent_id is not None
        ):
            raise CodeError(
                "guide_theme",
                gettext_noop(
                    "This theme comes from the theme guide. Its name and place are changed in "
                    "the theme guide; here you can only choose its colour."
                ),
            )
    else:
        if name is not None:
            name = _clean_code_text(name, "name", Code._meta.get_field("name").max_length)
            if not name:
                raise CodeError("empty_code", gettext_noop("Write a name for the theme."))
            if (
                Code.objects.filter(evaluation=evaluation, name__iexact=name)
                .exclude(pk=code.pk)
                .exists()
            ):
                raise CodeError(
                    "name_taken",
                    gettext_noop("There is already a theme called %(name)s."),
                    name=name,
                )
            code.name = name
        if description is not None:
            code.description = _clean_code_text(
                description, "description", CODE_DESCRIPTION_MAX_LENGTH
            )
        code.parent = _checked_parent(code, parent_id)
    code.save(update_fields=["name", "description", "parent", "colour"])
    after = {
        "name": code.name,
        "description": code.description,
        "parent": code.parent_id,
        "colour": code.colour,
    }
    if after != before:
        record(actor, "analysis.code.edit", code, evaluation, before=before, after=after)
    return code


def _checked_parent(code: Code, parent_id: int | None) -> Code | None:
    """The code to place ``code`` under, refusing another evaluation's, itself, or its own sub-theme."""
    if parent_id is None:
        return None
    parent = Code.objects.filter(pk=parent_id, evaluation=code.evaluation_id).first()
    if parent is None:
        raise CodeError("no_code", gettext_noop("Choose one of the evaluation's themes."))
    if parent.pk == code.pk:
        raise CodeError("own_parent", gettext_noop("A theme cannot be placed under itself."))
    parents, above = code_parents(code.evaluation), parent.pk
    seen = set()
    while above is not None and above not in seen:
        if above == code.pk:
            raise CodeError(
                "cycle",
                gettext_noop(
                    "%(parent)s lies under %(theme)s; a theme cannot be placed under one of its "
                    "own sub-themes."
                ),
                parent=parent.name,
                theme=code.name,
            )
        seen.add(above)
        above = parents.get(above)
    return parent


@transaction.atomic
def delete_code(actor, code: Code) -> None:
    """Remove an emergent theme without quotes; its sub-themes move up to its own place."""
    evaluation = code.evaluation
    require(actor, evaluation, Action.CODE)
    code = Code.objects.select_for_update().get(pk=code.pk)
    if code.kind == Code.Kind.GUIDE:
        raise CodeError(
            "guide_theme",
            gettext_noop(
                "This theme comes from the theme guide and is removed in the theme guide."
            ),
        )
    quotes = code.segments.count()
    if quotes:
        raise CodeError(
            "has_quotes",
            gettext_noop(
                "Quotes coded to the theme %(name)s: %(count)d. A theme with quotes is not "
                "removed; move its quotes to another theme first."
            ),
            name=code.name,
            count=quotes,
        )
    if code.memos.exists() or code.validations.exists():
        raise CodeError(
            "in_use",
            gettext_noop(
                "The theme %(name)s has memos or was discussed at a dialogue conference, so it "
                "was not removed."
            ),
            name=code.name,
        )
    Code.objects.filter(parent=code).update(parent=code.parent_id)
    record(actor, "analysis.code.delete", code, evaluation, name=code.name)
    code.delete()

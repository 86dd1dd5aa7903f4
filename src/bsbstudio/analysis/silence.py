"""Marking a matrix cell "nothing was said" (and taking the mark back), and reading the marks.

A cell of the matrix by informant group is empty either because nothing is coded there yet or
because the group said nothing about the theme. Only a person who has gone through the
interviews can tell, so the team marks it; the matrix and its exports then say "ingenting sagt".
Marks hold for the whole evaluation, so they show only on the unfiltered matrix by group.
"""

from __future__ import annotations

from django.db import transaction

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, require
from bsbstudio.errors import UserFacingError, gettext_noop

from .models import CodedSegment, NothingSaid
from .queries import MatrixQuery, not_asked_cells

NOTE_MAX_LENGTH = 2_000


class SilenceError(UserFacingError):
    """A mark that cannot be set: the cell has quotes, or the group was never asked."""


def shows_marks(query: MatrixQuery, *, folded: bool) -> bool:
    """Whether a matrix (or an export) of ``query`` is the whole evaluation by informant group.

    A folded row holds its sub-themes too, while a mark is on one theme's own cell: none there.
    """
    return (
        query.column == "group"
        and not folded
        and not any(
            (query.site_id, query.text_id, query.group_id, query.polarity, query.directness)
        )
    )


def marks(evaluation) -> dict[tuple[int, int], NothingSaid]:
    """The evaluation's marks by (code pk, group pk)."""
    return {
        (m.code_id, m.group_id): m
        for m in NothingSaid.objects.filter(code__evaluation=evaluation).select_related("marked_by")
    }


def mark_nothing_said(actor, code, group, note: str = "") -> NothingSaid:
    """Record that ``group`` said nothing on ``code``'s theme; refused where that cannot be true."""
    evaluation = code.evaluation
    require(actor, evaluation, Action.CODE)
    note = note.strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise SilenceError(
            "note_too_long",
            gettext_noop("The note can be at most %(limit)d characters long; it has %(length)d."),
            limit=NOTE_MAX_LENGTH,
            length=len(note),
        )
    if CodedSegment.objects.filter(code=code, group=group).exists():
        raise SilenceError(
            "cell_has_quotes",
            gettext_noop("%(group)s have quotes coded on %(theme)s, so something was said."),
            group=group.name,
            theme=code.name,
        )
    if (code.pk, group.pk) in not_asked_cells(evaluation, [code], MatrixQuery()):
        raise SilenceError(
            "not_asked",
            gettext_noop("The theme guide did not ask %(group)s about %(theme)s."),
            group=group.name,
            theme=code.name,
        )
    with transaction.atomic():  # the mark and its audit entry together, or neither
        mark, _created = NothingSaid.objects.update_or_create(
            code=code, group=group, defaults={"note": note, "marked_by": actor}
        )
        record(actor, "analysis.nothing_said", mark, evaluation, code=code.pk, group=group.pk)
    return mark


def remove_mark(actor, code, group) -> bool:
    """Take the mark back; whether there was one."""
    require(actor, code.evaluation, Action.CODE)
    with transaction.atomic():
        deleted, _by_model = NothingSaid.objects.filter(code=code, group=group).delete()
        if deleted:
            record(
                actor,
                "analysis.nothing_said_removed",
                None,
                code.evaluation,
                code=code.pk,
                group=group.pk,
            )
    return bool(deleted)

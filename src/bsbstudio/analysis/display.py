"""The 2 x 2 display: place themes, coded quotes or short texts in its four fields, move and remove them.

Each action checks ``Action.CODE``, runs in one transaction and is audited. A theme or quote of
another evaluation, or one a blind double coder may not see, is refused and nothing changes.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, require
from bsbstudio.errors import UserFacingError, gettext_noop, refuse_null_characters

from . import agreement
from .models import Code, CodedSegment, Display, DisplayItem

TEXT_MAX_LENGTH = 2_000
TITLE_MAX_LENGTH = 200
FIELDS = DisplayItem.Field.values


class DisplayError(UserFacingError):
    """A change to the display that cannot be made as asked."""


def _display(actor, evaluation) -> Display:
    require(actor, evaluation, Action.CODE)
    display, _created = Display.objects.get_or_create(evaluation=evaluation)
    return display


def _field(field: str) -> str:
    if field not in FIELDS:
        raise DisplayError("no_field", gettext_noop("Choose one of the four fields."))
    return field


@transaction.atomic
def place(
    actor, evaluation, field: str, code_id=None, segment_id=None, text: str = ""
) -> DisplayItem:
    """Put a theme, a coded quote or a short text (exactly one of them) in a field."""
    display = _display(actor, evaluation)
    field = _field(field)
    text = refuse_null_characters((text or "").strip(), DisplayError)
    given = [x for x in (code_id, segment_id, text or None) if x is not None]
    if len(given) != 1:
        raise DisplayError(
            "one_thing", gettext_noop("Choose a theme, a quote or write a short text: one of them.")
        )
    if len(text) > TEXT_MAX_LENGTH:
        raise DisplayError(
            "text_too_long",
            gettext_noop(
                "The text can be at most %(limit)d characters long; this one has %(length)d."
            ),
            limit=TEXT_MAX_LENGTH,
            length=len(text),
        )
    code = segment = None
    if code_id is not None:
        code = Code.objects.filter(pk=code_id, evaluation=evaluation).first()
        if code is None:
            raise DisplayError(
                "foreign_code", gettext_noop("Choose one of this evaluation's themes.")
            )
    if segment_id is not None:
        segment = (
            CodedSegment.objects.filter(pk=segment_id, code__evaluation=evaluation)
            .exclude(agreement.hidden_segments(actor))
            .first()
        )
        if segment is None:
            raise DisplayError(
                "foreign_quote", gettext_noop("Choose one of this evaluation's coded quotes.")
            )
    order = (display.items.filter(field=field).aggregate(m=Max("order"))["m"] or 0) + 1
    item = DisplayItem.objects.create(
        display=display, field=field, code=code, segment=segment, text=text, order=order
    )
    record(actor, "analysis.display.place", item, evaluation, field=field)
    return item


def _item(display, item_id) -> DisplayItem:
    item = display.items.filter(pk=item_id).first()
    if item is None:
        raise DisplayError("no_item", gettext_noop("That is not in this display."))
    return item


@transaction.atomic
def move(actor, evaluation, item_id, field: str) -> DisplayItem:
    """Move an item to another field (to the end of it)."""
    display = _display(actor, evaluation)
    field = _field(field)
    item = _item(display, item_id)
    if item.field != field:
        item.field = field
        item.order = (display.items.filter(field=field).aggregate(m=Max("order"))["m"] or 0) + 1
        item.save(update_fields=["field", "order"])
        record(actor, "analysis.display.move", item, evaluation, field=field)
    return item


@transaction.atomic
def remove(actor, evaluation, item_id) -> None:
    """Take an item off the display (the theme or quote itself stays)."""
    display = _display(actor, evaluation)
    item = _item(display, item_id)
    record(actor, "analysis.display.remove", item, evaluation, field=item.field)
    item.delete()


@transaction.atomic
def set_title(actor, evaluation, title: str) -> Display:
    """The display's title."""
    display = _display(actor, evaluation)
    title = refuse_null_characters((title or "").strip(), DisplayError)
    if len(title) > TITLE_MAX_LENGTH:
        raise DisplayError(
            "title_too_long",
            gettext_noop(
                "The title can be at most %(limit)d characters long; this one has %(length)d."
            ),
            limit=TITLE_MAX_LENGTH,
            length=len(title),
        )
    display.title = title
    display.save(update_fields=["title"])
    record(actor, "analysis.display.title", display, evaluation)
    return display


def fields(evaluation, user) -> list[tuple[str, str, list[DisplayItem]]]:
    """The four fields in reading order, each (key, label, items); quotes hidden from a blind coder left out."""
    hidden = CodedSegment.objects.filter(agreement.hidden_segments(user))
    items = (
        DisplayItem.objects.filter(display__evaluation=evaluation)
        .exclude(segment__in=hidden)
        .select_related("code", "segment__text__transcript__interview")
        .order_by("field", "order", "pk")
    )
    by_field: dict[str, list] = {key: [] for key in FIELDS}
    for item in items:
        by_field[item.field].append(item)
    return [(key, label, by_field[key]) for key, label in DisplayItem.Field.choices]

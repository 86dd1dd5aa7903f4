"""The conference's evaluation form on a phone (evaluering av dagen): links, answers, the summary.

The process leader opens a public link for a limited time and can close it; those changes are
actions as elsewhere (permission, one transaction, audit log). Answers come from people who are
not logged in: the random token in the link is their only permission. An answer keeps nothing
that could trace it back to who sent it: no address, no browser, no time finer than the day, and
no audit entry of its own (an entry would carry the exact time). Floods are refused by counting
answers per client address in Django's cache only, under a salted hash, for a few minutes.
"""

from __future__ import annotations

import datetime
import io
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, allowed_actions, require
from bsbstudio.errors import UserFacingError, gettext_noop
from bsbstudio.spreadsheet import text_cell

from .models import FeedbackAnswer, FeedbackLink, FeedbackRole, SaidWhatWanted

# A new link stays open until the end of the conference day and this many days more.
EXTRA_DAYS = 2
# The longest a link may be kept open, counted from today.
MAX_OPEN_DAYS = 60
# Answers one client address may send per window. Everyone on a venue's Wi-Fi may share one
# address, so the limit is generous; ``BSB_FEEDBACK_RATE = (answers, seconds)`` overrides it.
DEFAULT_RATE = (10, 10 * 60)
# Direct identifiers the leak guard finds in free text are replaced by this before anyone sees it.
MASK = "[…]"


class FeedbackError(UserFacingError):
    """A change to a link that cannot be made; the message says why."""


class FormClosed(Exception):
    """The link is unknown (404) or closed or past its end (410): no answer is taken."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


# --- Links (process leader) ---------------------------------------------------------------------


def default_last_day(conference, today: datetime.date) -> datetime.date:
    """The last day a new link is open: the conference day (or today, if later) plus two days."""
    return max(conference.date or today, today) + datetime.timedelta(days=EXTRA_DAYS)


def end_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight after ``day`` in the server's time zone: a link is open until then."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def last_day(link) -> datetime.date:
    """The last day ``link`` is open (the day before its end, in local time)."""
    return timezone.localtime(link.valid_until).date() - datetime.timedelta(days=1)


def check_last_day(day: datetime.date, today: datetime.date) -> None:
    """Refuse a last day in the past or too far ahead."""
    if day < today:
        raise FeedbackError("past", gettext_noop("The last day cannot be before today."))
    if day > today + datetime.timedelta(days=MAX_OPEN_DAYS):
        raise FeedbackError(
            "too_long",
            gettext_noop("A link can be open for at most %(days)s days."),
            days=MAX_OPEN_DAYS,
        )


@transaction.atomic
def open_link(actor, conference, day: datetime.date | None = None) -> FeedbackLink:
    """Open a new public link to the evaluation form, open to the end of ``day``."""
    require(actor, conference.evaluation, Action.OPEN_FEEDBACK)
    today = timezone.localdate()
    day = day or default_last_day(conference, today)
    check_last_day(day, today)
    link = FeedbackLink.objects.create(
        conference=conference,
        token=secrets.token_urlsafe(24),  # 32 characters, 192 random bits
        valid_until=end_of_day(day),
        created_by=actor,
    )
    # The token is the link's secret: the log names the link by its id only.
    record(
        actor,
        "conference.feedback_link.open",
        link,
        conference.evaluation,
        conference=conference.pk,
        last_day=day.isoformat(),
    )
    return link


@transaction.atomic
def change_last_day(actor, link, day: datetime.date) -> None:
    """Move the last day the link is open (it must still be open, or be reopened, by date)."""
    require(actor, link.conference.evaluation, Action.OPEN_FEEDBACK)
    link = FeedbackLink.objects.select_for_update().get(pk=link.pk)
    if link.closed:
        raise FeedbackError("closed", gettext_noop("This link is closed. Open a new link instead."))
    check_last_day(day, timezone.localdate())
    link.valid_until = end_of_day(day)
    link.save(update_fields=["valid_until"])
    record(
        actor,
        "conference.feedback_link.change",
        link,
        link.conference.evaluation,
        last_day=day.isoformat(),
    )


@transaction.atomic
def close_link(actor, link) -> None:
    """Close the link for good: the form then answers that it is closed."""
    require(actor, link.conference.evaluation, Action.OPEN_FEEDBACK)
    link = FeedbackLink.objects.select_for_update().get(pk=link.pk)
    if link.closed:
        return
    link.closed = True
    link.save(update_fields=["closed"])
    record(actor, "conference.feedback_link.close", link, link.conference.evaluation)


# --- Answers (anyone with an open link) ---------------------------------------------------------


def open_link_for(token: str, now: datetime.datetime) -> FeedbackLink:
    """The link with ``token`` if it takes answers now; FormClosed (404 or 410) otherwise."""
    link = FeedbackLink.objects.select_related("conference").filter(token=token[:64]).first()
    if link is None:
        raise FormClosed(404)
    if not link.is_open(now):
        raise FormClosed(410)
    return link


def _rate_key(address: str) -> str:
    # Salted with the secret key: the cache never holds an address, or a hash one could reverse
    # by trying every address.
    return "bsb-feedback-rate:" + salted_hmac("bsbstudio.conference.feedback", address).hexdigest()


def _rate() -> tuple[int, int]:
    return getattr(settings, "BSB_FEEDBACK_RATE", DEFAULT_RATE)


def rate_window_minutes() -> int:
    """How many minutes a client that sent too many answers must wait at most."""
    return max(1, round(_rate()[1] / 60))


def take_answer_slot(address: str) -> bool:
    """Count one answer from ``address``; False once it has sent too many in the window.

    The count lives in Django's cache only and expires with the window. The project sets no
    CACHES, so this is the default local-memory cache: per process, which is right for the one
    process ``bsb serve`` runs; several processes would each count on their own.
    """
    limit, seconds = _rate()
    key = _rate_key(address)
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count <= limit


@transaction.atomic
def save_answer(link, data: dict, on: datetime.date | None = None) -> FeedbackAnswer:
    """Store one answer from a valid form, with the day only; FormClosed if the link just closed.

    No permission check: whoever holds an open link may answer. No audit entry: see the module.
    ``on`` dates an answer other than today (the demo's answers, given on the conference day).
    """
    link = FeedbackLink.objects.select_for_update().filter(pk=link.pk).first()
    if link is None:  # the conference was deleted meanwhile
        raise FormClosed(404)
    if not link.is_open(timezone.now()):
        raise FormClosed(410)
    return FeedbackAnswer.objects.create(
        conference_id=link.conference_id,
        answered_on=on or timezone.localdate(),
        usefulness=data["usefulness"],
        said_what_wanted=data["said_what_wanted"],
        missing=data.get("missing", ""),
        other=data.get("other", ""),
        role=data["role"],
    )


# --- Results (team; commissioner once the minutes are approved) --------------------------------


def may_see_results(user, conference) -> bool:
    """The team always; a commissioner once the conference's minutes are approved."""
    actions = allowed_actions(user, conference.evaluation)
    if Action.VIEW_WORK in actions:
        return True
    return Action.VIEW_REPORTS in actions and conference.minutes_approved_at is not None


def may_see_free_text(user, conference) -> bool:
    """Only the team reads the free-text answers; a commissioner sees the numbers."""
    return Action.VIEW_WORK in allowed_actions(user, conference.evaluation)


@dataclass(frozen=True)
class OptionCount:
    """How many answered one option of a question, and their share of all answers (0-1)."""

    value: str | int
    label: str
    count: int
    share: float


@dataclass(frozen=True)
class QuestionSummary:
    """One question's results: number of answers, the average on a 1-5 scale, counts per option."""

    key: str
    question: str
    count: int
    options: list[OptionCount]
    average: float | None = None


def _counts(answers, field: str) -> dict:
    rows = answers.values(field).annotate(n=Count("id")).order_by(field)
    return {row[field]: row["n"] for row in rows}


def summarise(conference) -> list[QuestionSummary]:
    """Per question: how many answered, counts per option (the database counts), the average."""
    answers = FeedbackAnswer.objects.filter(conference=conference)
    total = answers.count()

    def options(field: str, choices) -> list[OptionCount]:
        counts = _counts(answers, field)
        return [
            OptionCount(
                value, str(label), counts.get(value, 0), counts.get(value, 0) / (total or 1)
            )
            for value, label in choices
        ]

    average = answers.aggregate(avg=Avg("usefulness"))["avg"]
    return [
        QuestionSummary(
            "usefulness",
            _("How useful was the day?"),
            total,
            options("usefulness", usefulness_choices()),
            round(average, 2) if average is not None else None,
        ),
        QuestionSummary(
            "said_what_wanted",
            _("Did you get to say what you wanted?"),
            total,
            options("said_what_wanted", SaidWhatWanted.choices),
        ),
        QuestionSummary("role", _("Your role"), total, options("role", FeedbackRole.choices)),
    ]


def usefulness_choices() -> list[tuple[int, str]]:
    """The 1-5 scale with words at both ends."""
    return [
        (1, _("1 – not useful")),
        (2, "2"),
        (3, "3"),
        (4, "4"),
        (5, _("5 – very useful")),
    ]


@dataclass(frozen=True)
class FreeText:
    """One answer's free text, direct identifiers masked."""

    answered_on: datetime.date
    role: str
    missing: str
    other: str


def masked_answers(conference) -> list[tuple[FeedbackAnswer, str, str]]:
    """Every answer, oldest first, with its two free texts after the leak guard masked them.

    The texts come from people outside the team and were never de-identified: each direct
    identifier the leak guard finds is replaced by ``MASK`` wherever it occurs.
    """
    from bsbstudio.deid import leak_guard

    answers = list(
        FeedbackAnswer.objects.filter(conference=conference).order_by("answered_on", "id")
    )
    texts = [text for answer in answers for text in (answer.missing, answer.other) if text]
    found = sorted(
        {f.text for f in leak_guard.scan(conference.evaluation, texts) if f.blocking},
        key=len,
        reverse=True,  # longest first, so "Kari Nordmann" goes before "Kari"
    )

    def mask(text: str) -> str:
        for value in found:
            text = text.replace(value, MASK)
        return text

    return [(answer, mask(answer.missing), mask(answer.other)) for answer in answers]


def free_texts(conference) -> list[FreeText]:
    """The answers that have free text, masked, oldest first."""
    return [
        FreeText(answer.answered_on, answer.get_role_display(), missing, other)
        for answer, missing, other in masked_answers(conference)
        if missing.strip() or other.strip()
    ]


def export_xlsx(actor, conference) -> bytes:
    """The answers and the summary as an XLSX workbook, for a team member (audited)."""
    require(actor, conference.evaluation, Action.VIEW_WORK)
    content, count = build_xlsx(conference)
    record(actor, "conference.feedback.export", conference, conference.evaluation, answers=count)
    return content


def export_xlsx_from_command(conference) -> bytes:
    """The same workbook for `bsb conference feedback` (no person; audited as the command)."""
    content, count = build_xlsx(conference)
    record(
        None,
        "conference.feedback.export",
        conference,
        conference.evaluation,
        answers=count,
        via="command",
    )
    return content


def build_xlsx(conference) -> tuple[bytes, int]:
    """The answers (one sheet, free text masked) and the summary (another); and the answer count."""
    from openpyxl import Workbook

    workbook = Workbook()
    answers_sheet = workbook.active
    answers_sheet.title = _("Answers")[:31]
    headers = [
        _("Date"),
        _("How useful was the day? (1-5)"),
        _("Did you get to say what you wanted?"),
        _("Your role"),
        _("What was missing?"),
        _("Anything else?"),
    ]
    for column, header in enumerate(headers, start=1):
        text_cell(answers_sheet, 1, column, header)
    answers = masked_answers(conference)
    for row, (answer, missing, other) in enumerate(answers, start=2):
        answers_sheet.cell(row=row, column=1, value=answer.answered_on).number_format = "yyyy-mm-dd"
        answers_sheet.cell(row=row, column=2, value=answer.usefulness)
        text_cell(answers_sheet, row, 3, answer.get_said_what_wanted_display())
        text_cell(answers_sheet, row, 4, answer.get_role_display())
        text_cell(answers_sheet, row, 5, missing)
        text_cell(answers_sheet, row, 6, other)

    summary_sheet = workbook.create_sheet(_("Summary")[:31])
    for column, header in enumerate(
        [_("Question"), _("Answer"), _("Number of answers"), _("Share")], 1
    ):
        text_cell(summary_sheet, 1, column, header)
    row = 2
    for question in summarise(conference):
        for option in question.options:
            text_cell(summary_sheet, row, 1, question.question)
            text_cell(summary_sheet, row, 2, option.label)
            summary_sheet.cell(row=row, column=3, value=option.count)
            summary_sheet.cell(row=row, column=4, value=option.share).number_format = "0%"
            row += 1
        if question.average is not None:
            text_cell(summary_sheet, row, 1, question.question)
            text_cell(summary_sheet, row, 2, _("Average"))
            summary_sheet.cell(row=row, column=3, value=question.average)
            row += 1
    text_cell(summary_sheet, row, 1, _("Answers in all"))
    summary_sheet.cell(row=row, column=3, value=len(answers))

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), len(answers)

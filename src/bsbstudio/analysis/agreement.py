"""Blind double coding: start it, keep the coders blind, compare, resolve disagreements, close.

Every change checks ``Action.MANAGE_AGREEMENT`` (the process leader), runs in a transaction and
is audited. The numbers come from ``engine.agreement``; this module feeds it the two coders'
quotes on the de-identified text.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, can, require
from bsbstudio.errors import UserFacingError, gettext_noop

from .engine.agreement import Agreement, Segment, compare, passages
from .models import AgreementResolution, Code, CodedSegment, DoubleCoding


class DoubleCodingError(UserFacingError):
    """A double coding that cannot be started, compared, resolved or closed as asked."""


def coder_name(user) -> str:
    """How the page names a coder: full name, else username (a deleted account: a dash)."""
    if user is None:
        return "–"
    return user.get_full_name().strip() or user.get_username()


def evaluation_of(double_coding: DoubleCoding):
    """The evaluation the double-coded text belongs to."""
    return double_coding.text.transcript.interview.evaluation


def hidden_segments(user, texts=None) -> Q:
    """A filter for the quotes ``user`` must not see now: another coder's, in a blind double coding.

    While a double coding is open and not yet compared, its two coders see only their own quotes
    on its text; everyone else sees them all.
    """
    blind = DoubleCoding.objects.filter(closed_at__isnull=True, compared_at__isnull=True).filter(
        Q(coder_a=user) | Q(coder_b=user)
    )
    if texts is not None:
        blind = blind.filter(text__in=texts)
    text_ids = list(blind.values_list("text_id", flat=True))
    if not text_ids:
        return Q(pk__in=[])
    return Q(text_id__in=text_ids) & ~Q(created_by=user)


def open_double_coding(text) -> DoubleCoding | None:
    """The double coding of ``text`` that is not closed, if any."""
    return DoubleCoding.objects.filter(text=text, closed_at__isnull=True).first()


def _coders_segments(double_coding: DoubleCoding) -> tuple[list[Segment], list[Segment], list]:
    """Each coder's quotes on the text as engine segments, and the evaluation's codes in order."""
    codes = Code.objects.filter(evaluation=evaluation_of(double_coding)).order_by(
        "kind", "order", "pk"
    )
    segments = CodedSegment.objects.filter(text=double_coding.text).order_by("start", "pk")

    def of(user):
        if user is None:
            return []
        return [
            Segment(s.start, s.end, s.code_id, s.pk)
            for s in segments.filter(created_by=user).only("pk", "start", "end", "code_id")
        ]

    return of(double_coding.coder_a), of(double_coding.coder_b), [c.pk for c in codes]


def measure(double_coding: DoubleCoding) -> Agreement:
    """The agreement of the two coders on the text as it stands now (AgreementError if not measurable)."""
    segments_a, segments_b, themes = _coders_segments(double_coding)
    return compare(
        len(double_coding.text.text),
        segments_a,
        segments_b,
        themes=themes,
        names=(coder_name(double_coding.coder_a), coder_name(double_coding.coder_b)),
    )


def current_passages(double_coding: DoubleCoding) -> tuple[list, list]:
    """The passages coded differently that are not settled yet, and those coded alike."""
    disagreements, matches = passages(*_coders_segments(double_coding))
    settled = set(double_coding.resolutions.values_list("code_id", "start", "end"))
    return [d for d in disagreements if (d.theme, d.start, d.end) not in settled], matches


def figures_of(agreement: Agreement) -> dict:
    """The measures as JSON, kept on the double coding when the comparison is opened."""
    return {
        "themes": [
            {
                "code": t.theme,
                "characters": _level(t.characters),
                "segments": _level(t.segments),
                "characters_a": t.characters_a,
                "characters_b": t.characters_b,
            }
            for t in agreement.themes
        ],
        "unused": list(agreement.unused),
    }


def _level(m) -> dict:
    return {"kappa": m.kappa, "alpha": m.alpha, "agreement": m.agreement, "units": m.units}


@transaction.atomic
def start(actor, evaluation, text, coder_a, coder_b) -> DoubleCoding:
    """Start blind double coding of ``text`` by two members who may code."""
    require(actor, evaluation, Action.MANAGE_AGREEMENT)
    if text.transcript.interview.evaluation_id != evaluation.pk:
        raise DoubleCodingError("wrong_text", gettext_noop("Choose a text of this evaluation."))
    if coder_a == coder_b:
        raise DoubleCodingError(
            "same_coder", gettext_noop("Choose two different people to code the text.")
        )
    for coder in (coder_a, coder_b):
        if not can(coder, evaluation, Action.CODE):
            raise DoubleCodingError(
                "cannot_code",
                gettext_noop("%(name)s may not code in this evaluation."),
                name=coder_name(coder),
            )
    if open_double_coding(text) is not None:
        raise DoubleCodingError(
            "already_open",
            gettext_noop("This text is already being double coded. Close that one first."),
        )
    double_coding = DoubleCoding.objects.create(
        text=text, coder_a=coder_a, coder_b=coder_b, started_by=actor
    )
    record(
        actor,
        "analysis.double_coding.start",
        double_coding,
        evaluation,
        text=text.pk,
        coder_a=coder_a.pk,
        coder_b=coder_b.pk,
    )
    return double_coding


def _require_open(double_coding: DoubleCoding) -> None:
    if double_coding.closed_at is not None:
        raise DoubleCodingError(
            "closed", gettext_noop("This double coding is closed; nothing was changed.")
        )


@transaction.atomic
def open_comparison(actor, double_coding: DoubleCoding) -> Agreement:
    """Measure the agreement, keep the figures and let the two coders see each other's quotes."""
    evaluation = evaluation_of(double_coding)
    require(actor, evaluation, Action.MANAGE_AGREEMENT)
    double_coding = DoubleCoding.objects.select_for_update().get(pk=double_coding.pk)
    _require_open(double_coding)
    agreement = measure(double_coding)  # AgreementError (one coded nothing): nothing is saved
    if double_coding.compared_at is None:
        double_coding.compared_at = timezone.now()
        double_coding.figures = figures_of(agreement)
        double_coding.save(update_fields=["compared_at", "figures"])
        record(
            actor,
            "analysis.double_coding.compare",
            double_coding,
            evaluation,
            disagreements=len(agreement.disagreements),
        )
    return agreement


@transaction.atomic
def resolve(actor, double_coding: DoubleCoding, code_id: int, start: int, end: int, choice: str):
    """Settle the disagreement on theme ``code_id`` in [start, end): keep A's, B's, both or neither."""
    evaluation = evaluation_of(double_coding)
    require(actor, evaluation, Action.MANAGE_AGREEMENT)
    double_coding = DoubleCoding.objects.select_for_update().get(pk=double_coding.pk)
    _require_open(double_coding)
    if double_coding.compared_at is None:
        raise DoubleCodingError(
            "not_compared", gettext_noop("Open the comparison before resolving disagreements.")
        )
    if choice not in AgreementResolution.Choice.values:
        raise DoubleCodingError("bad_choice", gettext_noop("Choose how to resolve it."))
    current, _matches = current_passages(double_coding)
    found = next((d for d in current if (d.theme, d.start, d.end) == (code_id, start, end)), None)
    if found is None:
        raise DoubleCodingError(
            "stale",
            gettext_noop(
                "This disagreement has changed or is already resolved. Nothing was changed; "
                "look at the list again."
            ),
        )
    drop = {
        AgreementResolution.Choice.KEEP_A: found.b_ids,
        AgreementResolution.Choice.KEEP_B: found.a_ids,
        AgreementResolution.Choice.KEEP_BOTH: (),
        AgreementResolution.Choice.DROP_BOTH: found.a_ids + found.b_ids,
    }[choice]
    CodedSegment.objects.filter(pk__in=drop, text=double_coding.text).delete()
    resolution = AgreementResolution.objects.create(
        double_coding=double_coding,
        code_id=code_id,
        start=start,
        end=end,
        choice=choice,
        resolved_by=actor,
    )
    record(
        actor,
        "analysis.double_coding.resolve",
        double_coding,
        evaluation,
        resolution=resolution.pk,
        code=code_id,
        start=start,
        end=end,
        choice=choice,
        removed_segments=sorted(drop),
    )
    return resolution


@transaction.atomic
def close(actor, double_coding: DoubleCoding) -> None:
    """End the double coding: every quote on the text is visible to every member again.

    Where both coded a passage of a theme alike, one copy stays (the first coder's), so the
    matrix does not count that quote twice. Passages coded differently stay as they are.
    """
    evaluation = evaluation_of(double_coding)
    require(actor, evaluation, Action.MANAGE_AGREEMENT)
    double_coding = DoubleCoding.objects.select_for_update().get(pk=double_coding.pk)
    _require_open(double_coding)
    _disagreements, matches = current_passages(double_coding)
    duplicates = sorted(pk for m in matches for pk in m.b_ids)
    CodedSegment.objects.filter(pk__in=duplicates, text=double_coding.text).delete()
    double_coding.closed_at = timezone.now()
    double_coding.save(update_fields=["closed_at"])
    record(
        actor,
        "analysis.double_coding.close",
        double_coding,
        evaluation,
        removed_duplicates=duplicates,
    )

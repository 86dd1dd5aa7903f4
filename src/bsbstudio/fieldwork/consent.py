"""Consent seen from the database: gaps to chase, and refusals that forbid a recording.

The checklist rules live in ``engine.consent``. For the dashboard and other apps:

- ``consent_gaps(evaluation) -> list[ConsentGap]``: participants of interviews that were held (or
  whose date has passed, unless cancelled) without a complete checklist and without withdrawing.
- ``recording_refused(interview) -> list[Informant]``: participants who said no to recording.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .engine import consent as engine
from .models import Consent, Informant, Interview, Participation

ITEM_LABELS = {
    "brochure_given": _("information brochure"),
    "oral_consent": _("oral consent"),
    "recording_consent": _("answer about recording"),
    "informed_of_rights": _("told of their rights"),
}


def answers(consent: Consent | None) -> engine.ConsentAnswers | None:
    """A consent row as the engine's plain answers (None stays None: nothing recorded)."""
    if consent is None:
        return None
    return engine.ConsentAnswers(
        brochure_given=consent.brochure_given,
        oral_consent=consent.oral_consent,
        recording_consent=consent.recording_consent,
        informed_of_rights=consent.informed_of_rights,
        withdrawn=consent.withdrawn_at is not None,
    )


def gap_items(consent: Consent | None) -> tuple[str, ...]:
    """The checklist items still missing for a consent row; none once the informant withdrew."""
    plain = answers(consent)
    return engine.missing_items(plain) if engine.has_gap(plain) else ()


def item_labels(items) -> list[str]:
    """Translated names of checklist items."""
    return [str(ITEM_LABELS[item]) for item in items]


@dataclass(frozen=True)
class ParticipantConsent:
    """One participant of an interview with their consent row (None if nothing recorded yet)."""

    participation: Participation
    consent: Consent | None

    @property
    def informant(self) -> Informant:
        """The participant."""
        return self.participation.informant

    @property
    def missing(self) -> tuple[str, ...]:
        """Checklist items not done (empty once withdrawn: see ``engine.consent.has_gap``)."""
        return gap_items(self.consent)

    @property
    def missing_labels(self) -> list[str]:
        """The missing items, translated."""
        return item_labels(self.missing)

    @property
    def withdrawn_at(self) -> datetime.datetime | None:
        """When the participant withdrew, if they did."""
        return self.consent.withdrawn_at if self.consent else None

    @property
    def recording_refused(self) -> bool:
        """Whether the participant said no to the recording of this interview."""
        return self.consent is not None and self.consent.recording_consent is False


@dataclass(frozen=True)
class ConsentGap:
    """A participant of an interview that needed a complete consent, and what is missing."""

    interview: Interview
    informant: Informant
    missing: tuple[str, ...]

    @property
    def missing_labels(self) -> list[str]:
        """The missing items, translated."""
        return item_labels(self.missing)


def participant_consents(interview: Interview) -> list[ParticipantConsent]:
    """Every participant of ``interview`` with their consent for it (two queries)."""
    consents = {c.informant_id: c for c in interview.consents.all()}
    return [
        ParticipantConsent(p, consents.get(p.informant_id))
        for p in interview.participations.select_related("informant__group")
    ]


def needs_complete_consent(interview: Interview, today: datetime.date | None = None) -> bool:
    """Whether ``interview`` should have complete consents by now (held or past, not cancelled)."""
    today = today or timezone.localdate()
    return engine.took_place(interview.status, interview.date, today)


def consent_gaps(evaluation, today: datetime.date | None = None) -> list[ConsentGap]:
    """Participants of held or past interviews whose consent checklist is incomplete.

    Interviews in date order, participants by speaker code. Withdrawn participants are not gaps.
    Only the consent for the interview itself counts (the checklist is gone through at each
    interview). Three queries, however many interviews.
    """
    today = today or timezone.localdate()
    interviews = [
        i for i in evaluation.interviews.all() if engine.took_place(i.status, i.date, today)
    ]
    if not interviews:
        return []
    by_id = {i.pk: i for i in interviews}
    consents = {
        (c.interview_id, c.informant_id): c
        for c in Consent.objects.filter(interview__in=interviews)
    }
    participations = Participation.objects.filter(interview__in=interviews).select_related(
        "informant__group"
    )
    position = {i.pk: n for n, i in enumerate(interviews)}
    ordered = sorted(participations, key=lambda p: (position[p.interview_id], p.speaker_code))
    gaps = []
    for p in ordered:
        plain = answers(consents.get((p.interview_id, p.informant_id)))
        if engine.has_gap(plain):
            gaps.append(ConsentGap(by_id[p.interview_id], p.informant, engine.missing_items(plain)))
    return gaps


def recording_refused(interview: Interview) -> list[Informant]:
    """Participants of ``interview`` who refused the recording (recording_consent is False).

    The consent for this interview counts; a general consent (not tied to an interview) counts
    where the participant has none for this interview. Sorted by code.
    """
    consents = (
        Consent.objects.filter(informant__participations__interview=interview)
        .filter(Q(interview=interview) | Q(interview__isnull=True))
        .select_related("informant")
        .distinct()
    )
    answers: dict[int, Consent] = {}
    for c in consents:
        if c.informant_id not in answers or c.interview_id is not None:
            answers[c.informant_id] = c
    refused = [c.informant for c in answers.values() if c.recording_consent is False]
    return sorted(refused, key=lambda informant: informant.code)


@dataclass(frozen=True)
class ConsentState:
    """How an interview's consents stand, for the interviews list."""

    participants: int
    gaps: int
    refused_recording: int
    due: bool  # whether the interview should have complete consents by now


def consent_states(interviews, today: datetime.date | None = None) -> dict[int, ConsentState]:
    """The consent state of each interview (two queries for the whole list)."""
    today = today or timezone.localdate()
    interviews = list(interviews)
    consents = {
        (c.interview_id, c.informant_id): c
        for c in Consent.objects.filter(interview__in=interviews)
    }
    participants: dict[int, list[int]] = {i.pk: [] for i in interviews}
    for interview_id, informant_id in Participation.objects.filter(
        interview__in=interviews
    ).values_list("interview_id", "informant_id"):
        participants[interview_id].append(informant_id)
    states = {}
    for i in interviews:
        rows = [consents.get((i.pk, informant)) for informant in participants[i.pk]]
        states[i.pk] = ConsentState(
            participants=len(rows),
            gaps=sum(1 for c in rows if engine.has_gap(answers(c))),
            refused_recording=sum(1 for c in rows if c and c.recording_consent is False),
            due=engine.took_place(i.status, i.date, today),
        )
    return states

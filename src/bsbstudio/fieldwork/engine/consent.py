"""The consent checklist of the method, as plain data.

Before an interview the informant is given the information brochure; at the start the
interviewers ask for oral consent, ask separately for consent to the recording (which the
informant may refuse), and tell the informant of the right to leave questions unanswered and to
withdraw at any time until the interview ends.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

# The items a complete consent needs, in the order the interviewers go through them.
CHECKLIST = ("brochure_given", "oral_consent", "recording_consent", "informed_of_rights")


@dataclass(frozen=True)
class ConsentAnswers:
    """One informant's answers for one interview; ``recording_consent`` None = not asked yet."""

    brochure_given: bool = False
    oral_consent: bool = False
    recording_consent: bool | None = None
    informed_of_rights: bool = False
    withdrawn: bool = False


def missing_items(answers: ConsentAnswers | None) -> tuple[str, ...]:
    """The checklist items not done yet; every item when nothing was recorded.

    Consent to recording counts as done once it is answered, yes or no: a refusal is a complete
    answer (the interview then takes no recording).
    """
    if answers is None:
        return CHECKLIST
    missing = []
    for item in CHECKLIST:
        value = getattr(answers, item)
        if value is None if item == "recording_consent" else not value:
            missing.append(item)
    return tuple(missing)


def has_gap(answers: ConsentAnswers | None) -> bool:
    """Whether the checklist is incomplete for someone who did not withdraw.

    A withdrawal is itself the informant's answer: their checklist is not chased any further
    (what they said must be left out of the material instead).
    """
    if answers is not None and answers.withdrawn:
        return False
    return bool(missing_items(answers))


def took_place(status: str, date: datetime.date | None, today: datetime.date) -> bool:
    """Whether an interview has taken place by ``today``: held, or its date is past; not cancelled.

    From then on its consents should be complete and its transcript is due.
    """
    if status == "cancelled":
        return False
    return status == "held" or (date is not None and date < today)

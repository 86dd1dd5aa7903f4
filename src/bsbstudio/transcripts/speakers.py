"""Who each speaker label of a transcript is: a participant, the interviewer, or unknown.

The raw transcript's turns keep the label as written (``I``, ``D1``, ``Kari``) and, once known,
link to the participant (``SpeakerTurn.participation``); the turns of its de-identified texts
carry the same ``order`` and get the same link. ``SpeakerTurn.role`` says which of participant,
interviewer or unknown the speaker is (blank while undecided). The audit log records each
decision by the label's position, never by the label itself, which may be a name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import labels as label_rules
from .models import SpeakerTurn, Transcript

PARTICIPANT = SpeakerTurn.Role.PARTICIPANT
INTERVIEWER = SpeakerTurn.Role.INTERVIEWER
UNKNOWN = SpeakerTurn.Role.UNKNOWN
ROLES_WITHOUT_PARTICIPANT = (INTERVIEWER, UNKNOWN)
EVENT = "transcript.speakers"
FIRST_WORDS = 12


@dataclass
class SpeakerLabel:
    """One distinct speaker label of a raw transcript, with its turns and who it is."""

    index: int
    label: str
    turns: int = 0
    words: int = 0
    first_words: str = ""
    orders: list[int] = field(default_factory=list)
    participation: object | None = None
    # PARTICIPANT, INTERVIEWER, UNKNOWN, or "" while nobody has decided.
    role: str = ""
    looks_like_name: bool = False

    @property
    def resolved(self) -> bool:
        """Whether someone (or the import, for a code like ``D1``) has said who this is."""
        return bool(self.role)


def speaker_labels(transcript: Transcript, turns=None) -> list[SpeakerLabel]:
    """The transcript's labels in order of first appearance, with counts and who they are.

    ``turns`` may pass the raw turns already loaded (with ``participation__informant__group``).
    """
    if turns is None:
        turns = transcript.turns.select_related("participation__informant__group")
    by_label: dict[str, SpeakerLabel] = {}
    links: dict[str, set[int | None]] = {}
    roles: dict[str, set[str]] = {}
    for turn in turns:
        if not turn.speaker_code:
            continue
        info = by_label.get(turn.speaker_code)
        if info is None:
            spoken = transcript.raw_text[turn.start : turn.end].split()
            info = by_label[turn.speaker_code] = SpeakerLabel(
                index=len(by_label),
                label=turn.speaker_code,
                first_words=" ".join(spoken[:FIRST_WORDS])
                + (" …" if len(spoken) > FIRST_WORDS else ""),
                looks_like_name=label_rules.looks_like_name(turn.speaker_code),
            )
            links[turn.speaker_code] = set()
            roles[turn.speaker_code] = set()
        info.turns += 1
        info.words += len(transcript.raw_text[turn.start : turn.end].split())
        info.orders.append(turn.order)
        links[turn.speaker_code].add(turn.participation_id)
        roles[turn.speaker_code].add(turn.role)
        if turn.participation_id:
            info.participation = turn.participation
    for info in by_label.values():
        if links[info.label] == {getattr(info.participation, "pk", None)} and info.participation:
            info.role = PARTICIPANT
        else:
            # A label split between people (or partly unlinked) must be decided again.
            info.participation = None
            (role,) = roles[info.label] if len(roles[info.label]) == 1 else ("",)
            info.role = role if role in ROLES_WITHOUT_PARTICIPANT else ""
    return list(by_label.values())


def roles_detail(labels: list[SpeakerLabel]) -> dict:
    """The audit detail that records decisions without naming any label (labels may be names)."""
    return {
        "roles": {
            str(info.index): info.role for info in labels if info.role in ROLES_WITHOUT_PARTICIPANT
        },
        "participants": {
            str(info.index): info.participation.informant.code
            for info in labels
            if info.role == PARTICIPANT
        },
    }


def public_labels(
    transcript: Transcript, labels: list[SpeakerLabel] | None = None
) -> dict[str, str]:
    """The label to show in the de-identified text for each label that may be a real name.

    A participant's label becomes their speaker code (or their pseudonym code when the speaker
    code itself looks like a name); the interviewer becomes "Intervjuer" ("Intervjuer 2", ...);
    anyone else becomes "Taler 1", "Taler 2", ... Labels that are codes are kept as written.
    """
    if labels is None:
        labels = speaker_labels(transcript)
    taken = {info.label for info in labels if not info.looks_like_name}
    public: dict[str, str] = {}
    for info in labels:
        if not info.looks_like_name:
            continue
        if info.role == PARTICIPANT:
            code = info.participation.speaker_code
            if label_rules.looks_like_name(code):
                code = info.participation.informant.code
            public[info.label] = code
            taken.add(code)
        elif info.role == INTERVIEWER:
            public[info.label] = label_rules.numbered(
                label_rules.INTERVIEWER_LABEL, taken, first_plain=True
            )
        else:
            public[info.label] = label_rules.numbered(
                label_rules.UNKNOWN_LABEL, taken, first_plain=False
            )
    return public


def unresolved(labels: list[SpeakerLabel]) -> list[SpeakerLabel]:
    """The labels nobody has decided on yet."""
    return [info for info in labels if not info.resolved]

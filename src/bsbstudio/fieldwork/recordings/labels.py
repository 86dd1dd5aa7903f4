"""What a recording is called on the pages: its file name, or a neutral label.

The original file name may name a participant ("Kari Nordmann 12.3.m4a"), so it is raw material:
shown only to members whose role may see raw material and who signed the confidentiality
declaration. Everyone else sees "Recording 1, 42 min".
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from bsbstudio.accounts.confidentiality import has_signed
from bsbstudio.accounts.policy import Action, allowed_actions


def may_see_names(user, evaluation) -> bool:
    """Whether ``user`` may see recordings' original file names in ``evaluation``."""
    return Action.VIEW_RAW in allowed_actions(user, evaluation) and has_signed(user, evaluation)


def neutral_label(number: int, duration_seconds: float | None) -> str:
    """The label "Recording 2, 42 min" (the minutes only when the length is known)."""
    if duration_seconds:
        minutes = max(1, round(duration_seconds / 60))
        return _("Recording %(number)s, %(minutes)s min") % {"number": number, "minutes": minutes}
    return _("Recording %(number)s") % {"number": number}


def number_of(recording) -> int:
    """The recording's place among its interview's recordings, in the order they were added."""
    earlier = Q(uploaded_at__lt=recording.uploaded_at) | Q(
        uploaded_at=recording.uploaded_at, pk__lte=recording.pk
    )
    return recording.interview.recordings.filter(earlier).count()


def label_of(recording, show_names: bool) -> str:
    """The name of one recording as the page shows it."""
    if show_names:
        return recording.original_name
    return neutral_label(number_of(recording), recording.duration_seconds)


def label_all(recordings, show_names: bool) -> list:
    """Set ``label`` on each of an interview's recordings (given in the order they were added)."""
    recordings = list(recordings)
    for number, recording in enumerate(recordings, start=1):
        recording.label = (
            recording.original_name
            if show_names
            else neutral_label(number, recording.duration_seconds)
        )
    return recordings

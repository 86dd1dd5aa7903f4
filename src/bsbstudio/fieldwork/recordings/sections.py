"""The recordings section of the interview page."""

from __future__ import annotations


def interview_section(request, interview) -> dict:
    """Context for ``fieldwork/_interview_recordings.html``."""
    return {"recordings": interview.recordings.all()}

"""Where an evaluation stands in the BSB circle, computed from counts of its data.

Each of the nine steps is "done", "in_progress" or "not_started". The rules are deliberately
simple and visible here, so that a process leader can be told exactly why a step shows as it does.
"""

from __future__ import annotations

from dataclasses import dataclass

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
DONE = "done"

STEP_KEYS = (
    "plan",
    "guide",
    "fieldwork",
    "transcripts",
    "analysis",
    "process_report",
    "conference",
    "reports",
    "followup",
)


@dataclass(frozen=True)
class CircleCounts:
    """The numbers the step states are computed from."""

    sites: int = 0
    goals: int = 0
    problem_statements: int = 0
    members: int = 0
    themes: int = 0
    groups: int = 0
    guide_cells_filled: int = 0
    informants: int = 0
    interviews: int = 0  # not counting cancelled ones
    interviews_held: int = 0  # marked held, or with a transcript
    interviews_with_transcript: int = 0
    interviews_deidentified: int = 0
    deidentified_texts_coded: int = 0
    coded_segments: int = 0
    sites_with_process_report: int = 0
    conferences: int = 0
    conferences_held: int = 0
    sites_with_approved_conference: int = 0  # a conference across all sites counts for every site
    final_reports: int = 0
    final_reports_approved: int = 0
    measures: int = 0
    measures_closed: int = 0  # done or dropped


@dataclass(frozen=True)
class StepState:
    """One step of the circle and its state."""

    number: int
    key: str
    state: str


def _state(started: bool, done: bool) -> str:
    if done:
        return DONE
    return IN_PROGRESS if started else NOT_STARTED


def circle_states(c: CircleCounts) -> list[StepState]:
    """Return the state of each of the nine steps, in the order of the circle."""
    cells = c.themes * c.groups
    states = [
        # 1 Plan: the evaluation exists, so planning has begun.
        _state(True, c.sites > 0 and c.goals > 0 and c.problem_statements > 0 and c.members > 0),
        # 2 Theme guide: every cell of themes x groups holds a question.
        _state(c.themes > 0 or c.groups > 0, cells > 0 and c.guide_cells_filled >= cells),
        # 3 Fieldwork: every planned interview has been held.
        _state(
            c.informants > 0 or c.interviews > 0,
            c.interviews > 0 and c.interviews_held >= c.interviews,
        ),
        # 4 Transcripts: every interview has a de-identified text.
        _state(
            c.interviews_with_transcript > 0,
            c.interviews > 0 and c.interviews_deidentified >= c.interviews,
        ),
        # 5 Analysis: every de-identified text has coded quotes.
        _state(
            c.coded_segments > 0,
            c.interviews_deidentified > 0
            and c.deidentified_texts_coded >= c.interviews_deidentified
            and c.interviews_deidentified >= c.interviews,
        ),
        # 6 Process report: one for every site.
        _state(
            c.sites_with_process_report > 0, c.sites > 0 and c.sites_with_process_report >= c.sites
        ),
        # 7 Dialogue conference: every site has held one whose minutes the process leader approved.
        _state(
            c.conferences > 0,
            c.conferences > 0 and c.sites_with_approved_conference >= max(c.sites, 1),
        ),
        # 8 Reports: the final report is started, then approved by a process leader.
        _state(c.final_reports > 0, c.final_reports_approved > 0),
        # 9 Follow-up: at least one measure, and every measure done or dropped.
        _state(c.measures > 0, c.measures > 0 and c.measures_closed >= c.measures),
    ]
    return [
        StepState(number, key, state)
        for number, (key, state) in enumerate(zip(STEP_KEYS, states, strict=True), start=1)
    ]

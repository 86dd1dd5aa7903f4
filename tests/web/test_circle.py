"""The dashboard's circle states, computed from counts (engine, no database)."""

import pytest

from bsbstudio.evaluations.engine.circle import (
    DONE,
    IN_PROGRESS,
    NOT_STARTED,
    CircleCounts,
    circle_states,
)


def states(**counts):
    return {step.key: step.state for step in circle_states(CircleCounts(**counts))}


def test_new_evaluation_is_planning_and_nothing_else():
    result = states()
    assert result["plan"] == IN_PROGRESS
    assert all(state == NOT_STARTED for key, state in result.items() if key != "plan")


@pytest.mark.parametrize(
    ("counts", "key", "expected"),
    [
        (dict(sites=1, goals=1, problem_statements=1, members=1), "plan", DONE),
        (dict(sites=1, goals=0, problem_statements=1, members=1), "plan", IN_PROGRESS),
        # Empty cells are allowed: each theme and each group needs a question somewhere.
        (dict(themes=2, groups=3, themes_with_question=2, groups_with_question=3), "guide", DONE),
        (
            dict(themes=2, groups=3, themes_with_question=1, groups_with_question=3),
            "guide",
            IN_PROGRESS,
        ),
        (
            dict(themes=2, groups=3, themes_with_question=2, groups_with_question=2),
            "guide",
            IN_PROGRESS,
        ),
        (dict(interviews=2, interviews_held=1, informants=4), "fieldwork", IN_PROGRESS),
        # Two interviews held say nothing about coverage: no groups, nobody in them.
        (dict(interviews=2, interviews_held=2), "fieldwork", IN_PROGRESS),
        (
            dict(
                interviews=2,
                interviews_held=2,
                site_names=("Nord",),
                group_names=("Brukere",),
                covered=frozenset({("Nord", "Brukere")}),
                sites_interviewed=frozenset({"Nord"}),
                interviews_held_with_participants=2,
            ),
            "fieldwork",
            DONE,
        ),
        (dict(interviews=2, interviews_with_transcript=1), "transcripts", IN_PROGRESS),
        # De-identified is not done: a person must review and approve each text.
        (
            dict(interviews=2, interviews_held=2, interviews_with_transcript=2, texts_approved=2),
            "transcripts",
            DONE,
        ),
        (
            dict(
                interviews=2,
                interviews_held=2,
                interviews_with_transcript=2,
                interviews_deidentified=2,
                texts_approved=1,
                texts_unapproved=1,
            ),
            "transcripts",
            IN_PROGRESS,
        ),
        (
            dict(
                interviews=2,
                texts_approved=2,
                deidentified_texts_coded=2,
                coded_segments=9,
            ),
            "analysis",
            DONE,
        ),
        (
            dict(
                interviews=2,
                texts_approved=2,
                deidentified_texts_coded=1,
                coded_segments=3,
            ),
            "analysis",
            IN_PROGRESS,
        ),
        (
            dict(
                texts_approved=2,
                deidentified_texts_coded=2,
                coded_segments=3,
                themes_without_material=("Trygghet",),
            ),
            "analysis",
            IN_PROGRESS,
        ),
        (dict(sites=5, sites_with_process_report=2), "process_report", IN_PROGRESS),
        # Written but not approved is not done.
        (dict(sites=5, sites_with_process_report=5), "process_report", IN_PROGRESS),
        (
            dict(sites=5, sites_with_process_report=5, sites_with_approved_process_report=5),
            "process_report",
            DONE,
        ),
        (dict(conferences=1), "conference", IN_PROGRESS),
        (dict(conferences=1, conferences_held=1), "conference", IN_PROGRESS),
        (dict(sites=2, conferences=2, sites_with_approved_conference=1), "conference", IN_PROGRESS),
        (dict(sites=2, conferences=1, sites_with_approved_conference=2), "conference", DONE),
        (dict(final_reports=1), "reports", IN_PROGRESS),
        (dict(final_reports=1, final_reports_approved=1), "reports", DONE),
        (dict(measures=3, measures_closed=1), "followup", IN_PROGRESS),
        (dict(measures=3, measures_closed=3), "followup", DONE),
    ],
)
def test_step_state(counts, key, expected):
    assert states(**counts)[key] == expected


def test_nine_steps_in_order():
    steps = circle_states(CircleCounts())
    assert [s.number for s in steps] == list(range(1, 10))

"""Step 9 of the circle: done only when there is a measure and every one is done or dropped."""

from __future__ import annotations

import pytest

from bsbstudio.evaluations.engine.circle import (
    DONE,
    IN_PROGRESS,
    NOT_STARTED,
    CircleCounts,
    circle_states,
)

from .conftest import add_measure, url


@pytest.mark.parametrize(
    ("measures", "closed", "expected"),
    [(0, 0, NOT_STARTED), (3, 2, IN_PROGRESS), (3, 3, DONE), (1, 1, DONE)],
)
def test_rule(measures, closed, expected):
    steps = circle_states(CircleCounts(measures=measures, measures_closed=closed))
    assert steps[8].key == "followup" and steps[8].state == expected


def followup_step(client, evaluation):
    response = client.get(url("evaluations:dashboard", evaluation))
    return [s for s in response.context["steps"] if s["key"] == "followup"][0]


def test_dashboard_tells_open_overdue_and_status_counts(evaluation, as_user, measures):
    step = followup_step(as_user("process_leader"), evaluation)
    assert step["state"] == IN_PROGRESS
    assert step["description"] == (
        "2 of 4 measures are still open, 1 overdue. Proposed: 1, Started: 1, Done: 1, Dropped: 1."
    )


def test_dashboard_done_only_when_all_closed(evaluation, as_user):
    client = as_user("process_leader")
    step = followup_step(client, evaluation)
    assert step["state"] == NOT_STARTED
    assert "No measures yet" in step["description"]
    add_measure(evaluation, "Kriseplan", "done")
    add_measure(evaluation, "Venterom", "dropped")
    step = followup_step(client, evaluation)
    assert step["state"] == DONE
    assert step["description"] == "All 2 measures are done or dropped. Done: 1, Dropped: 1."


def test_commissioner_gets_the_link_to_the_measures(evaluation, as_user, measures):
    step = followup_step(as_user("commissioner"), evaluation)
    assert step["url"] == url("followup:list", evaluation)

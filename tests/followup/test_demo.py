"""The demo's Lindvåg evaluation has measures in several states with history; loading twice adds none."""

from __future__ import annotations

from bsbstudio.demo.followup import load_followup
from bsbstudio.demo.loader import DATA_DIR, demo_user, load_file


def test_lindvag_measures_in_several_states(db):
    leader = demo_user("demo", "demo-passord-123")
    load_file(DATA_DIR / "ambulant_team.yaml", leader)
    from bsbstudio.evaluations.models import Evaluation

    evaluation = Evaluation.objects.get(slug="ambulant-team-lindvag-2026")
    measures = list(evaluation.measures.order_by("id"))
    statuses = {m.status for m in measures}
    assert {"done", "started", "agreed", "dropped", "proposed"} <= statuses
    assert any(m.is_overdue() for m in measures)
    assert all(m.history.exists() for m in measures)
    started = next(m for m in measures if m.status == "started")
    assert [h.to_status for h in started.history.order_by("changed_on", "id")] == [
        "proposed",
        "agreed",
        "started",
    ]
    count = evaluation.measures.count()
    load_followup(leader)
    load_file(DATA_DIR / "ambulant_team.yaml", leader)
    assert evaluation.measures.count() == count

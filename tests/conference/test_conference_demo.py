"""The demo: Lindvåg has a held conference with approved minutes; Storhavn has district ones."""

from __future__ import annotations

from bsbstudio.demo.conference import load_conferences
from bsbstudio.demo.loader import DATA_DIR, demo_user, load_file
from bsbstudio.evaluations.engine.circle import circle_states
from bsbstudio.web.progress import circle_counts


def _step7(evaluation):
    return next(s.state for s in circle_states(circle_counts(evaluation)) if s.key == "conference")


def test_demo_conferences_are_loaded_once(db):
    leader = demo_user("demo", "demo-passord-123")
    load_file(DATA_DIR / "ambulant_team.yaml", leader)
    load_file(DATA_DIR / "districts.yaml", leader)
    from bsbstudio.evaluations.models import Evaluation

    lindvag = Evaluation.objects.get(slug="ambulant-team-lindvag-2026")
    (held,) = lindvag.conferences.all()
    assert held.minutes_approved and held.site is None
    assert held.agenda_items.filter(start_time__isnull=False).count() == 4
    assert held.groups.count() == 2
    assert all(g.outputs.exists() for g in held.groups.all())
    statuses = set(held.validations.values_list("status", flat=True))
    assert {"confirmed", "nuanced", "contested", "new"} <= statuses
    assert lindvag.codes.filter(name="Transport til tilbudene", kind="emergent").exists()
    assert _step7(lindvag) == "done"

    storhavn = Evaluation.objects.get(slug="bydeler-storhavn-2026")
    districts = list(storhavn.conferences.order_by("date"))
    assert len({c.site_id for c in districts}) == len(districts) >= 3
    assert all(c.participant_counts.exists() for c in districts)
    assert _step7(storhavn) == "in_progress"  # not every district has held one yet

    load_conferences(leader)
    assert lindvag.conferences.count() == 1
    assert storhavn.conferences.count() == len(districts)

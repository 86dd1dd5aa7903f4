"""The site × group coverage grid, per-site targets, and the wrong warnings and empty states of
fieldwork (issue 13): a past interview's page, the withdrawal time, the moderator list, the demo.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
import yaml
from django.utils import translation

from bsbstudio.fieldwork.coverage import coverage
from bsbstudio.fieldwork.engine.coverage import CellCount, coverage_grid
from bsbstudio.fieldwork.engine.sampling import (
    CriterionRecord,
    InformantRecord,
    criterion_progress,
    skew_summary,
)
from bsbstudio.fieldwork.forms import AGE_BAND_CHOICES
from bsbstudio.fieldwork.models import Informant, Interview, Participation, SamplingCriterion
from bsbstudio.fieldwork.sampling import skew_summary as skew_findings

from .conftest import url

GROUPS = [("B", "Brukere"), ("P", "Pårørende")]

# --- Engine ------------------------------------------------------------------------------------


def test_grid_marks_gaps_and_short_cells():
    rows = coverage_grid(
        ["Nord", "Sør"],
        GROUPS,
        [CellCount("Nord", "B", 2, 5), CellCount("Nord", "P", 1, 1), CellCount(None, "B", 1, 1)],
        {"Nord": 2},
        {"P": 2},
    )
    north, south = rows
    assert north.interviews == 2 and north.missing == []
    users, relatives = north.cells
    assert (users.informants, users.interviews, users.done) == (5, 2, True)
    assert relatives.short and not relatives.gap and relatives.target == 2
    assert south.interviews == 0 and south.missing == ["Brukere", "Pårørende"]
    assert all(cell.gap for cell in south.cells)


def test_per_site_criterion_is_met_only_at_every_site():
    people = [
        InformantRecord("P", "Nord"),
        InformantRecord("P", "Nord"),
        InformantRecord("P", "Sør"),
    ]
    [progress] = criterion_progress(
        people, [CriterionRecord("group", "P", 2, True)], ["Nord", "Sør"]
    )
    assert progress.achieved == 3
    assert not progress.met
    assert progress.short_sites == [("Sør", 1)]
    assert progress.percent == 50
    [none] = criterion_progress(people, [CriterionRecord("group", "P", 1, True)], [])
    assert not none.met  # no sites: nothing can be reached at every site


def test_group_far_below_the_largest_is_a_warning():
    people = [InformantRecord("B")] * 237 + [InformantRecord("P")]
    [finding] = [f for f in skew_summary(people, groups=GROUPS) if f.kind == "group_far_below"]
    assert finding.severity == "warning"
    assert finding.params == {
        "group": "Pårørende",
        "count": 1,
        "largest_group": "Brukere",
        "largest": 237,
    }


def test_balanced_groups_are_not_called_skewed():
    people = [InformantRecord("B")] * 10 + [InformantRecord("P")] * 3
    assert not [f for f in skew_summary(people, groups=GROUPS) if f.kind.startswith("group_")]


def test_group_below_the_plans_share():
    people = [InformantRecord("B")] * 30 + [InformantRecord("P")] * 2
    criteria = [CriterionRecord("group", "B", 10), CriterionRecord("group", "P", 10)]
    kinds = [f.kind for f in skew_summary(people, criteria, groups=GROUPS)]
    assert "group_below_plan" in kinds
    assert "group_far_below" not in kinds  # the plan's rule replaces the rough one


# --- The grid from the database ------------------------------------------------------------------


@pytest.fixture
def south_interview(evaluation):
    """A held interview without a site, whose participant is from Sør."""
    south = evaluation.sites.get(name="Sør")
    b2 = Informant.objects.create(
        evaluation=evaluation,
        code="B-02",
        group=evaluation.informant_groups.get(code="B"),
        site=south,
    )
    interview = Interview.objects.create(
        evaluation=evaluation, code="FG2", kind="focus_group", status=Interview.Status.HELD
    )
    Participation.objects.create(interview=interview, informant=b2, speaker_code="D1")
    return interview


def test_coverage_counts_held_interviews_only(evaluation, south_interview):
    grid = coverage(evaluation)
    north, south = grid.rows
    # FG1 at Nord is only planned: Nord has nobody interviewed yet.
    assert north.interviews == 0 and north.missing == ["Brukere", "Ansatte"]
    # FG2 has no site; its participant's site places it at Sør.
    assert south.interviews == 1 and south.missing == ["Ansatte"]
    assert grid.gaps == 3
    evaluation.interviews.filter(code="FG1").update(status=Interview.Status.HELD)
    north = coverage(evaluation).rows[0]
    assert north.interviews == 1 and north.missing == []
    evaluation.interviews.filter(code="FG1").update(status=Interview.Status.CANCELLED)
    assert coverage(evaluation).rows[0].interviews == 0


def test_held_interview_without_participants_is_named(evaluation):
    Interview.objects.create(
        evaluation=evaluation, code="FG9", kind="individual", status=Interview.Status.HELD
    )
    assert coverage(evaluation).held_without_participants == ["FG9"]


def test_sampling_page_shows_the_grid_with_gaps_in_words(evaluation, leader, south_interview):
    html = leader.get(url("fieldwork:sampling", evaluation)).content.decode()
    table = re.search(r'<table class="fieldwork-coverage">.*?</table>', html, re.S).group(0)
    assert "<caption>" in table and "Brukere" in table and "Ansatte" in table
    assert table.count("Missing") == 3
    assert "no interviews yet" in table  # Nord
    assert "1 informant" in table and "in 1 interview" in table
    assert "3 combinations of site and group have nobody interviewed yet." in html


def test_no_targets_is_not_every_target_reached_on_the_sampling_page(evaluation, leader):
    south = evaluation.sites.get(name="Sør")
    for code, group in (("B-02", "B"), ("A-02", "A")):
        Informant.objects.create(
            evaluation=evaluation,
            code=code,
            group=evaluation.informant_groups.get(code=group),
            site=south,
        )
    html = leader.get(url("fieldwork:sampling", evaluation)).content.decode()
    assert "every target is reached" not in html
    assert "No targets are set yet" in html


def test_a_per_site_target_is_added_and_shown(evaluation, leader):
    response = leader.post(
        url("fieldwork:sampling", evaluation),
        {"attribute": "group", "value": "B", "target": "1", "per_site": "on"},
    )
    assert response.status_code == 302
    criterion = evaluation.sampling_criteria.get()
    assert criterion.per_site and criterion.target == 1
    html = leader.get(url("fieldwork:sampling", evaluation)).content.decode()
    assert "1 at every site" in html
    assert "1 site below the target" in html  # Sør has no user
    with translation.override("en"):
        messages = [f.message for f in skew_findings(evaluation)]
    assert "Criterion “Informant group = B, at every site”" not in " ".join(messages)
    assert "Criterion “Informant group = B” at every site: Sør 0 of 1." in messages
    # The same criterion without "at every site" is a different target, and may sit beside it.
    response = leader.post(
        url("fieldwork:sampling", evaluation), {"attribute": "group", "value": "B", "target": "3"}
    )
    assert response.status_code == 302
    assert evaluation.sampling_criteria.count() == 2
    response = leader.post(
        url("fieldwork:sampling", evaluation),
        {"attribute": "group", "value": "B", "target": "2", "per_site": "on"},
    )
    assert response.status_code == 200
    assert "already in the list" in response.content.decode()


def test_grid_cells_show_per_site_targets(evaluation, leader):
    SamplingCriterion.objects.create(
        evaluation=evaluation, attribute="group", value="B", target=2, per_site=True
    )
    evaluation.interviews.filter(code="FG1").update(status=Interview.Status.HELD)
    html = leader.get(url("fieldwork:sampling", evaluation)).content.decode()
    table = re.search(r'<table class="fieldwork-coverage">.*?</table>', html, re.S).group(0)
    assert "below the target of 2" in table


# --- Wrong warnings -----------------------------------------------------------------------------


def test_past_interview_page_does_not_claim_a_failed_upload(evaluation, client_as, interview):
    interview.date = datetime.date(2020, 1, 10)
    interview.save()
    client = client_as("peer_interviewer")
    html = client.get(url("fieldwork:interview", evaluation, interview.pk)).content.decode()
    assert 'name="audio"' not in html
    assert "Nothing was saved" not in html and "Ingenting ble lagret" not in html
    assert "had to be deleted" not in html and "måtte slettes" not in html
    assert "Lydopptak av dette intervjuet tas bare vare på til" in html
    assert 'notice-warn">Lydopptak' not in html


def test_withdrawal_time_is_empty_until_someone_withdrew(evaluation, leader, interview):
    html = leader.get(url("fieldwork:interview", evaluation, interview.pk)).content.decode()
    fields = re.findall(r'<input type="datetime-local"[^>]*>', html)
    assert fields, "the consent form has a withdrawal time field"
    assert all("value=" not in field for field in fields)


# --- Empty states -------------------------------------------------------------------------------


def test_empty_moderator_list_says_who_can_be_chosen(evaluation, leader):
    html = leader.get(url("fieldwork:interviews", evaluation)).content.decode()
    assert "nobody has that role yet" not in html  # the fixture has a peer interviewer
    evaluation.memberships.filter(role="peer_interviewer").delete()
    html = leader.get(url("fieldwork:interviews", evaluation)).content.decode()
    assert "Only team members with the peer-interviewer role can lead an interview" in html
    assert f'href="{url("evaluations:team", evaluation)}"' in html
    assert "Nobody has the peer-interviewer role yet" in html


DEMO = Path(__file__).parents[2] / "src" / "bsbstudio" / "demo" / "data"


@pytest.mark.parametrize("name", ["ambulant_team.yaml", "districts.yaml"])
def test_demo_age_bands_are_the_forms_choices(name):
    spec = yaml.safe_load((DEMO / name).read_text(encoding="utf-8"))
    choices = {value for value, _label in AGE_BAND_CHOICES}
    bands = {str(i.get("age_band", "")) for i in spec["informants"]}
    assert bands and bands <= choices, bands - choices


@pytest.mark.parametrize("name", ["ambulant_team.yaml", "districts.yaml"])
def test_demo_log_in_names_keep_the_letters_readable(name):
    from bsbstudio.demo.loader import login_name

    spec = yaml.safe_load((DEMO / name).read_text(encoding="utf-8"))
    names = [member["name"] for member in spec["team"]]
    logins = [login_name(n) for n in names]
    assert all(login.isascii() for login in logins)
    assert len(set(logins)) == len(logins)
    assert login_name("Randi Østmo") == "demo-randi-ostmo"
    assert login_name("Jørn Aasheim") == "demo-jorn-aasheim"
    assert login_name("Kåre Ærø") == "demo-kaare-aero"


def test_demo_users_keep_norwegian_letters_in_their_names(db, make_user):
    from bsbstudio.demo.loader import _plan

    spec = yaml.safe_load((DEMO / "ambulant_team.yaml").read_text(encoding="utf-8"))
    evaluation = _plan(spec, make_user("demo"))
    member = evaluation.memberships.get(user__username="demo-randi-ostmo").user
    assert member.get_full_name() == "Randi Østmo"

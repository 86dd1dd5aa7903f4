"""The sampling plan per site × group (issue 13): a target for one cell, a group "not planned"
at a site, and the coverage grid and the dashboard reading them truthfully.

Fixture evaluation: sites Nord and Sør, groups Brukere (B) and Ansatte (A), FG1 at Nord with
B-01 and A-01.
"""

from __future__ import annotations

import datetime
import re

import pytest

from bsbstudio.accounts.audit import AuditEvent
from bsbstudio.evaluations.engine.circle import DONE
from bsbstudio.fieldwork.coverage import coverage
from bsbstudio.fieldwork.engine.coverage import CellCount, coverage_grid
from bsbstudio.fieldwork.models import (
    Consent,
    Informant,
    Interview,
    Participation,
    SamplingCriterion,
    SiteGroupPlan,
)
from bsbstudio.fieldwork.sampling import criteria_progress, skew_summary
from bsbstudio.web.progress import circle_counts, fieldwork_progress

from .conftest import url

pytestmark = pytest.mark.django_db

GROUPS = [("B", "Brukere"), ("P", "Pårørende")]


def field(evaluation, kind, site, group):
    site_pk = evaluation.sites.get(name=site).pk
    group_pk = evaluation.informant_groups.get(code=group).pk
    return f"{kind}-{site_pk}-{group_pk}"


def grid_html(client, evaluation) -> str:
    html = client.get(url("fieldwork:sampling", evaluation)).content.decode()
    return re.search(r'<table class="fieldwork-coverage">.*?</table>', html, re.S).group(0)


def hold_fg1(evaluation):
    interview = evaluation.interviews.get(code="FG1")
    interview.status = Interview.Status.HELD
    interview.save()
    for p in interview.participations.all():
        Consent.objects.update_or_create(
            informant=p.informant,
            interview=interview,
            defaults=dict(
                brochure_given=True,
                oral_consent=True,
                recording_consent=True,
                informed_of_rights=True,
            ),
        )
    return interview


def fieldwork_state(evaluation):
    from bsbstudio.evaluations.engine.circle import circle_states

    return next(s for s in circle_states(circle_counts(evaluation)) if s.key == "fieldwork")


# --- Engine ------------------------------------------------------------------------------------


def test_a_not_planned_cell_is_neither_a_gap_nor_short():
    rows = coverage_grid(
        ["Nord"],
        GROUPS,
        [CellCount("Nord", "B", 1, 2)],
        {"Nord": 1},
        {"P": 2},
        {("Nord", "P"): (None, False)},
    )
    cell = rows[0].cells[1]
    assert cell.not_planned and not cell.gap and not cell.short and not cell.below_target
    assert cell.done
    assert rows[0].missing == []


def test_a_cells_own_target_wins_over_the_per_site_target():
    rows = coverage_grid(
        ["Nord", "Sør"],
        GROUPS,
        [CellCount("Nord", "P", 1, 2), CellCount("Sør", "P", 1, 2)],
        {"Nord": 1, "Sør": 1},
        {"P": 1},
        {("Nord", "P"): (3, True)},
    )
    assert rows[0].cells[1].target == 3 and rows[0].cells[1].short
    assert rows[1].cells[1].target == 1 and rows[1].cells[1].done


def test_a_gap_with_a_target_is_below_it():
    rows = coverage_grid(["Nord"], GROUPS, [], {}, None, {("Nord", "P"): (2, True)})
    assert rows[0].cells[1].gap and rows[0].cells[1].below_target


# --- Page --------------------------------------------------------------------------------------


def test_the_plan_page_saves_targets_and_not_planned_cells(evaluation, leader):
    page = leader.get(url("fieldwork:sampling_plan", evaluation))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<h1") == 1
    assert "Target for Ansatte at Sør" in html  # every control has a label
    response = leader.post(
        url("fieldwork:sampling_plan", evaluation),
        {
            field(evaluation, "target", "Nord", "B"): "3",
            field(evaluation, "not-planned", "Sør", "A"): "1",
        },
    )
    assert response.status_code == 302
    plans = {
        (p.site.name, p.group.code): (p.target, p.planned) for p in SiteGroupPlan.objects.all()
    }
    assert plans == {("Nord", "B"): (3, True), ("Sør", "A"): (None, False)}
    assert AuditEvent.objects.filter(action="sampling.plan.update").count() == 2
    # Saved again unchanged: nothing changes, nothing is logged.
    leader.post(
        url("fieldwork:sampling_plan", evaluation),
        {
            field(evaluation, "target", "Nord", "B"): "3",
            field(evaluation, "not-planned", "Sør", "A"): "1",
        },
    )
    assert AuditEvent.objects.filter(action="sampling.plan.update").count() == 2
    # Back to the default: the rows go.
    leader.post(url("fieldwork:sampling_plan", evaluation), {})
    assert not SiteGroupPlan.objects.exists()


def test_bad_target_saves_nothing_and_says_why(evaluation, leader):
    response = leader.post(
        url("fieldwork:sampling_plan", evaluation),
        {
            field(evaluation, "target", "Nord", "B"): "to",
            field(evaluation, "not-planned", "Sør", "A"): "1",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nord, Brukere: write a whole number from 0 to 999." in html
    assert 'aria-invalid="true"' in html
    assert not SiteGroupPlan.objects.exists()


def test_a_transcriber_sees_the_plan_but_cannot_change_it(evaluation, as_role):
    client = as_role("transcriber")
    html = client.get(url("fieldwork:sampling_plan", evaluation)).content.decode()
    assert '<form method="post">' not in html
    response = client.post(
        url("fieldwork:sampling_plan", evaluation),
        {field(evaluation, "target", "Nord", "B"): "3"},
    )
    assert response.status_code == 403
    assert not SiteGroupPlan.objects.exists()


def test_grid_shows_not_planned_and_gaps_in_words(evaluation, leader):
    hold_fg1(evaluation)
    SiteGroupPlan.objects.create(
        site=evaluation.sites.get(name="Sør"),
        group=evaluation.informant_groups.get(code="A"),
        planned=False,
    )
    SiteGroupPlan.objects.create(
        site=evaluation.sites.get(name="Nord"),
        group=evaluation.informant_groups.get(code="B"),
        target=3,
    )
    table = grid_html(leader, evaluation)
    assert table.count("Not planned") == 1
    assert table.count("Missing") == 1  # Sør × Brukere, still planned
    assert "below the target of 3" in table  # Nord × Brukere: 1 of 3
    grid = coverage(evaluation)
    assert grid.gaps == 1 and grid.not_planned == 1
    html = leader.get(url("fieldwork:sampling", evaluation)).content.decode()
    assert "1 combination of site and group is not planned" in html


def test_not_planned_group_does_not_block_fieldwork(evaluation):
    hold_fg1(evaluation)
    south = evaluation.sites.get(name="Sør")
    user = Informant.objects.create(
        evaluation=evaluation,
        code="B-02",
        group=evaluation.informant_groups.get(code="B"),
        site=south,
    )
    fg2 = Interview.objects.create(
        evaluation=evaluation,
        code="FG2",
        kind="focus_group",
        site=south,
        date=datetime.date(2026, 3, 2),
        status=Interview.Status.HELD,
    )
    Participation.objects.create(interview=fg2, informant=user, speaker_code="D1")
    Consent.objects.create(
        informant=user,
        interview=fg2,
        brochure_given=True,
        oral_consent=True,
        recording_consent=True,
        informed_of_rights=True,
    )
    assert fieldwork_state(evaluation).state != DONE  # Sør has no staff interviewed
    SiteGroupPlan.objects.create(
        site=south, group=evaluation.informant_groups.get(code="A"), planned=False
    )
    assert fieldwork_state(evaluation).state == DONE


def test_a_site_with_every_group_not_planned_needs_no_interview(evaluation):
    hold_fg1(evaluation)
    south = evaluation.sites.get(name="Sør")
    for group in evaluation.informant_groups.all():
        SiteGroupPlan.objects.create(site=south, group=group, planned=False)
    assert fieldwork_state(evaluation).state == DONE


def test_a_cell_target_not_reached_keeps_fieldwork_open(evaluation):
    hold_fg1(evaluation)
    south = evaluation.sites.get(name="Sør")
    for group in evaluation.informant_groups.all():
        SiteGroupPlan.objects.create(site=south, group=group, planned=False)
    SiteGroupPlan.objects.create(
        site=evaluation.sites.get(name="Nord"),
        group=evaluation.informant_groups.get(code="B"),
        target=2,
    )
    state = fieldwork_state(evaluation)
    assert state.state != DONE
    assert [r.kind for r in state.reasons] == ["targets_short"]
    progress = fieldwork_progress(evaluation)
    assert progress.criteria == 1 and progress.criteria_met == 0 and not progress.all_targets_met


def test_a_not_planned_cell_is_no_target_to_reach(evaluation):
    SamplingCriterion.objects.create(
        evaluation=evaluation, attribute="group", value="A", target=1, per_site=True
    )
    SiteGroupPlan.objects.create(
        site=evaluation.sites.get(name="Sør"),
        group=evaluation.informant_groups.get(code="A"),
        planned=False,
    )
    grid = coverage(evaluation)
    south = next(row for row in grid.rows if row.site == "Sør")
    staff = next(cell for cell in south.cells if cell.group == "A")
    assert staff.not_planned and not staff.below_target
    assert grid.plan_targets == []
    # The per-site target is not asked of Sør either.
    [(_criterion, progress)] = criteria_progress(evaluation)
    assert [site for site, _n in progress.per_site] == ["Nord"]
    findings = [f for f in skew_summary(evaluation) if f.kind == "criterion_short_per_site"]
    assert all("Sør" not in [site for site, _n in f.params["sites"]] for f in findings)


def test_the_demo_shows_cell_targets_and_a_not_planned_cell(db):
    from bsbstudio.demo.loader import DATA_DIR, demo_user, load_file

    load_file(DATA_DIR / "ambulant_team.yaml", demo_user("demo", "demo-passord-123"))
    plans = {
        (p.site.name, p.group.code): (p.target, p.planned) for p in SiteGroupPlan.objects.all()
    }
    assert plans[("Vardeteamet Ytre", "A")] == (None, False)
    assert plans[("Vardeteamet sentrum", "B")][0] == 6

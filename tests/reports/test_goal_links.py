"""Goals and problem statements linked to themes: ticked in the guide, shown on the plan, audited."""

from __future__ import annotations

import pytest

from bsbstudio.accounts.models import AuditEvent

from .conftest import url


@pytest.fixture
def leader(as_user):
    return as_user("process_leader")


def post_links(client, evaluation, **ticks):
    data = {}
    for theme in evaluation.themes.all():
        data[f"goals_{theme.pk}"] = ticks.get(theme.name, ([], []))[0]
        data[f"problems_{theme.pk}"] = ticks.get(theme.name, ([], []))[1]
    return client.post(url("guide:theme_goals", evaluation), data, follow=True)


def test_ticking_links_shows_them_on_the_plan_and_in_the_guide(evaluation, leader):
    goal, problem = evaluation.goals.get(), evaluation.problem_statements.get()
    response = post_links(leader, evaluation, Tilgang=([goal.pk], [problem.pk]))
    assert "The links between goals and themes were saved." in response.content.decode()
    theme = evaluation.themes.get(name="Tilgang")
    assert list(theme.goals.all()) == [goal]
    assert list(theme.problem_statements.all()) == [problem]
    event = AuditEvent.objects.get(action="guide.theme_goals")
    assert event.object_id == str(theme.pk)
    assert event.detail == {"goals": [goal.pk], "problem_statements": [problem.pk]}

    plan = leader.get(url("evaluations:plan", evaluation)).content.decode()
    assert "Themes that speak to each goal" in plan
    assert "Raskt første besøk: Tilgang" in plan
    grid = leader.get(url("guide:grid", evaluation)).content.decode()
    assert "Goals: Raskt første besøk (Plan, p. 3)" in grid
    page = leader.get(url("guide:theme_goals", evaluation)).content.decode()
    assert f'name="goals_{theme.pk}" value="{goal.pk}" id="g-{theme.pk}-{goal.pk}" checked' in page


def test_the_read_only_guide_shows_each_themes_goals(evaluation, as_user):
    evaluation.themes.get(name="Tilgang").goals.add(evaluation.goals.get())
    grid = as_user("peer_interviewer").get(url("guide:grid", evaluation)).content.decode()
    assert "Goals each theme speaks to" in grid and "Raskt første besøk" in grid


def test_unticking_removes_the_link(evaluation, leader):
    theme = evaluation.themes.get(name="Tilgang")
    theme.goals.add(evaluation.goals.get())
    post_links(leader, evaluation)
    assert not theme.goals.exists()
    assert AuditEvent.objects.filter(action="guide.theme_goals").count() == 1


def test_a_goal_from_elsewhere_or_gone_saves_nothing(evaluation, leader):
    goal = evaluation.goals.get()
    response = post_links(leader, evaluation, Tilgang=([goal.pk, goal.pk + 999], []))
    assert "no longer exists" in response.content.decode()
    assert not evaluation.themes.get(name="Tilgang").goals.exists()
    response = post_links(leader, evaluation, Tilgang=(["abc"], []))
    assert response.status_code == 200 and "Nothing was saved" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"), [("peer_interviewer", 200), ("commissioner", 403), ("outsider", 404)]
)
def test_only_guide_editors_change_links(evaluation, as_user, role, status):
    client = as_user(role)
    assert client.get(url("guide:theme_goals", evaluation)).status_code == status
    post_links(client, evaluation, Tilgang=([evaluation.goals.get().pk], []))
    assert not evaluation.themes.get(name="Tilgang").goals.exists()

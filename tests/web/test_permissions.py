"""Who may open what: the policy as a table of role x page x expected status."""

import pytest
from django.urls import reverse

ROLES = ["process_leader", "peer_interviewer", "transcriber", "commissioner", "outsider"]

# page name -> expected status per role, in the order of ROLES
PAGES = {
    "evaluations:dashboard": (200, 200, 200, 200, 404),
    "evaluations:plan": (200, 200, 200, 403, 404),
    "evaluations:team": (200, 200, 200, 403, 404),
    "evaluations:declaration": (200, 200, 200, 200, 404),
    "guide:grid": (200, 200, 200, 403, 404),
    "guide:structure": (200, 200, 200, 403, 404),
    "fieldwork:informants": (200, 200, 200, 403, 404),
    "fieldwork:interviews": (200, 200, 200, 403, 404),
    "transcripts:list": (200, 200, 200, 403, 404),
    "deid:names": (200, 200, 200, 403, 404),
    "analysis:matrix": (200, 200, 200, 403, 404),
    "analysis:search": (200, 200, 200, 403, 404),
    "reports:list": (200, 200, 200, 200, 404),
    "reports:final": (200, 200, 200, 200, 404),
    "guide:theme_goals": (200, 200, 200, 403, 404),
    "reports:cross_site": (200, 200, 200, 403, 404),
    "reports:cross_site_xlsx": (200, 200, 200, 403, 404),
    "reports:cross_site_areas": (200, 200, 403, 403, 404),
    "reports:cross_site_facts": (200, 200, 403, 403, 404),
    "reports:export_matrix": (200, 200, 200, 403, 404),
    "reports:export_quotes": (200, 200, 200, 403, 404),
    "reports:export_review": (200, 200, 200, 403, 404),
    "reports:matrix_view_xlsx": (200, 200, 200, 403, 404),
    "reports:matrix_view_docx": (200, 200, 200, 403, 404),
    "reports:display_docx": (200, 200, 200, 403, 404),
    "reports:display_pdf": (200, 200, 200, 403, 404),
    "evaluations:audit": (200, 403, 403, 403, 404),
    "evaluations:audit_csv": (200, 403, 403, 403, 404),
    "exchange:page": (200, 200, 200, 200, 404),
    "exchange:qdpx": (200, 200, 200, 200, 404),
    "exchange:qdc": (200, 200, 200, 403, 404),
    "exchange:import": (200, 403, 403, 403, 404),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role_index", range(len(ROLES)))
def test_page_access_by_role(evaluation, client_as, page, role_index):
    client = client_as(ROLES[role_index])
    response = client.get(reverse(page, args=[evaluation.slug]))
    assert response.status_code == PAGES[page][role_index]


def test_anonymous_is_sent_to_login(client, evaluation):
    response = client.get(reverse("evaluations:dashboard", args=[evaluation.slug]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_outsider_does_not_see_the_evaluation_in_the_list(evaluation, client_as):
    response = client_as("outsider").get(reverse("evaluations:list"))
    assert evaluation.name not in response.content.decode()


def test_commissioner_dashboard_hides_work_links(evaluation, client_as):
    html = (
        client_as("commissioner")
        .get(reverse("evaluations:dashboard", args=[evaluation.slug]))
        .content.decode()
    )
    assert reverse("guide:grid", args=[evaluation.slug]) not in html
    assert reverse("reports:list", args=[evaluation.slug]) in html


def test_commissioner_cannot_post_to_the_plan(evaluation, client_as):
    client = client_as("commissioner")
    response = client.post(reverse("evaluations:plan", args=[evaluation.slug]), {"name": "Changed"})
    assert response.status_code == 403
    evaluation.refresh_from_db()
    assert evaluation.name == "Testevaluering"


@pytest.mark.parametrize(
    ("page", "role", "status"),
    [
        ("conference:list", "process_leader", 200),
        # A commissioner sees the list, holding only conferences whose minutes are approved.
        ("conference:list", "commissioner", 200),
        ("conference:list", "outsider", 404),
        ("followup:list", "peer_interviewer", 200),
        ("followup:list", "outsider", 404),
    ],
)
def test_later_steps_access(evaluation, client_as, page, role, status):
    assert client_as(role).get(reverse(page, args=[evaluation.slug])).status_code == status


def test_measure_is_added_and_advances_the_circle(evaluation, client_as):
    client = client_as("process_leader")
    response = client.post(
        reverse("followup:list", args=[evaluation.slug]),
        {"text": "Faste kontaktpersoner", "status": "proposed"},
    )
    assert response.status_code == 302
    dashboard = client.get(reverse("evaluations:dashboard", args=[evaluation.slug]))
    followup = [s for s in dashboard.context["steps"] if s["key"] == "followup"][0]
    assert followup["state"] == "in_progress"


def test_measure_without_text_is_refused(evaluation, client_as):
    client = client_as("process_leader")
    response = client.post(reverse("followup:list", args=[evaluation.slug]), {"status": "proposed"})
    assert response.status_code == 200
    assert not evaluation.measures.exists()

"""Who may open the follow-up and round pages: role x page x expected status."""

from __future__ import annotations

import pytest
from django.urls import reverse

ROLES = ["process_leader", "peer_interviewer", "transcriber", "commissioner", "outsider"]

# page -> expected GET status per role, in the order of ROLES
PAGES = {
    "followup:list": (200, 200, 200, 200, 404),
    "followup:overview": (200, 200, 200, 200, 404),
    "followup:export": (200, 200, 200, 200, 404),
    "followup:detail": (200, 200, 200, 200, 404),
    "followup:edit": (200, 403, 403, 403, 404),
    "followup:delete": (200, 403, 403, 403, 404),
    "evaluations:rounds": (200, 200, 200, 403, 404),
    "evaluations:next_round": (200, 403, 403, 403, 404),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role_index", range(len(ROLES)))
def test_page_access_by_role(evaluation, client_as, measures, page, role_index):
    args = [evaluation.slug]
    if page.startswith("followup:") and page not in {
        "followup:list",
        "followup:overview",
        "followup:export",
    }:
        args.append(measures["started"].pk)
    response = client_as(ROLES[role_index]).get(reverse(page, args=args))
    assert response.status_code == PAGES[page][role_index]

"""Analysis pages refuse oversized and malformed input with a message, never a server error."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from bsbstudio.analysis import actions
from bsbstudio.analysis.models import Code


@pytest.fixture
def leader(evaluation, client_as) -> Client:
    client = client_as("process_leader")
    client.raise_request_exception = False
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def emergent_codes(evaluation) -> list[str]:
    return list(evaluation.codes.filter(kind=Code.Kind.EMERGENT).values_list("name", flat=True))


@pytest.mark.parametrize("length", [201, 100_000])
def test_overlong_emergent_theme_is_refused_with_a_message(
    evaluation, leader, deidentified, length
):
    page = reverse("analysis:text", args=[evaluation.slug, deidentified.pk])
    response = leader.post(page, {"new_code": "x" * length})
    assert response.status_code == 302
    assert messages_of(response)[-1] == f"Et temanavn kan ha høyst 200 tegn. Dette har {length}."
    assert emergent_codes(evaluation) == []


def test_emergent_theme_of_the_longest_allowed_name_is_added(evaluation, leader, deidentified):
    page = reverse("analysis:text", args=[evaluation.slug, deidentified.pk])
    response = leader.post(page, {"new_code": "y" * 200})
    assert response.status_code == 302
    assert emergent_codes(evaluation) == ["y" * 200]


def test_emergent_theme_with_a_nul_byte_is_refused(evaluation, leader, deidentified):
    page = reverse("analysis:text", args=[evaluation.slug, deidentified.pk])
    response = leader.post(page, {"new_code": "Hu\x00mor"})
    assert response.status_code == 302
    assert "Null" in messages_of(response)[-1]
    assert emergent_codes(evaluation) == []


def test_create_emergent_code_never_queries_with_an_unbounded_name(evaluation):
    leader = evaluation.memberships.get(role="process_leader").user
    with pytest.raises(actions.SegmentError) as refused:
        actions.create_emergent_code(leader, evaluation, "z" * 100_000)
    assert refused.value.code == "code_too_long"
    assert refused.value.params == {"limit_value": 200, "show_value": 100_000}
    assert emergent_codes(evaluation) == []


@pytest.mark.parametrize("site", ["²", "9" * 5000, "-1", "1e3", "\x00"])
def test_matrix_ignores_a_site_filter_that_is_no_id(evaluation, leader, site):
    response = leader.get(reverse("analysis:matrix", args=[evaluation.slug]), {"site": site})
    assert response.status_code == 200
    assert response.context["site"] is None

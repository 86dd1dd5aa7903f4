"""Informants: generated pseudonym codes, attributes, the case network, and bad input."""

from __future__ import annotations

import pytest

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.fieldwork.models import Informant

from .conftest import messages_of, url


@pytest.fixture
def groups(evaluation):
    return {g.code: g for g in evaluation.informant_groups.all()}


@pytest.fixture
def sites(evaluation):
    return {s.name: s for s in evaluation.sites.all()}


def add(client, evaluation, **data):
    return client.post(url("fieldwork:informants", evaluation), data)


def test_empty_code_gets_the_next_code_for_group_and_site(evaluation, leader, groups, sites):
    b, north, south = groups["B"].pk, sites["Nord"].pk, sites["Sør"].pk
    assert add(leader, evaluation, group=b, site=north).status_code == 302
    assert add(leader, evaluation, group=b, site=north).status_code == 302
    assert add(leader, evaluation, group=b, site=south).status_code == 302
    assert add(leader, evaluation, group=b).status_code == 302  # B-01 exists already
    codes = set(evaluation.informants.values_list("code", flat=True))
    assert {"B1-01", "B1-02", "B2-01", "B-02"} <= codes
    event = AuditEvent.objects.filter(action="informant.create").first()
    assert event.detail == {"code": "B-02", "generated_code": True}


def test_typed_code_and_attributes_are_kept(evaluation, leader, groups, sites):
    response = add(
        leader,
        evaluation,
        code="B1-07",
        group=groups["B"].pk,
        site=sites["Nord"].pk,
        gender="kvinne",
        age_band="25–39",
        length_of_service="1–3 år",
        recruited_through="Vardeteamet",
    )
    assert response.status_code == 302
    informant = evaluation.informants.get(code="B1-07")
    assert (informant.gender, informant.age_band, informant.length_of_service) == (
        "kvinne",
        "25–39",
        "1–3 år",
    )
    assert informant.recruited_through == "Vardeteamet"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"code": "Kari Nordmann"}, "looks like a person"),
        ({"code": "b-01"}, "already in use"),
        ({"code": "B1-09", "group": ""}, "required"),
        ({"code": "B1-09", "gender": "unknown"}, "valid choice"),
        ({"code": "B1-09", "age_band": "99"}, "valid choice"),
    ],
)
def test_bad_informant_input_is_refused_and_changes_nothing(
    evaluation, leader, groups, data, expected
):
    before = Informant.objects.count()
    response = add(leader, evaluation, **{"group": groups["B"].pk, **data})
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert "Nothing was saved" in messages_of(response)
    assert Informant.objects.count() == before
    assert not AuditEvent.objects.filter(action="informant.create").exists()


def test_recruited_via_another_evaluations_informant_is_refused(evaluation, leader, groups, other):
    foreign = other.informants.get()
    response = add(leader, evaluation, code="P-01", group=groups["A"].pk, recruited_via=foreign.pk)
    assert response.status_code == 200
    assert "valid choice" in response.content.decode()
    assert not Informant.objects.filter(code="P-01").exists()


def test_case_network_is_shown_both_ways(evaluation, leader, groups):
    user = evaluation.informants.get(code="B-01")
    add(leader, evaluation, code="A-02", group=groups["A"].pk, recruited_via=user.pk)
    relative = evaluation.informants.get(code="A-02")
    assert relative.recruited_via == user
    page = leader.get(url("fieldwork:informant", evaluation, user.pk)).content.decode()
    assert url("fieldwork:informant", evaluation, relative.pk) in page
    listing = leader.get(url("fieldwork:informants", evaluation)).content.decode()
    assert "A-02" in listing and "Recruited through them" in listing


def test_edit_informant_is_audited(evaluation, leader, groups, sites):
    informant = evaluation.informants.get(code="B-01")
    response = leader.post(
        url("fieldwork:informant", evaluation, informant.pk),
        {"code": "B-01", "group": groups["B"].pk, "site": sites["Sør"].pk, "gender": "mann"},
    )
    assert response.status_code == 302
    informant.refresh_from_db()
    assert (informant.site.name, informant.gender, informant.code) == ("Sør", "mann", "B-01")
    event = AuditEvent.objects.get(action="informant.update")
    assert event.object_id == str(informant.pk)
    assert "gender" in event.detail["changed"] and "site" in event.detail["changed"]


def test_edit_cannot_take_another_code_or_make_a_loop(evaluation, leader, groups):
    user = evaluation.informants.get(code="B-01")
    staff = evaluation.informants.get(code="A-01")
    staff.recruited_via = user
    staff.save()
    page = url("fieldwork:informant", evaluation, user.pk)
    clash = leader.post(page, {"code": "a-01", "group": groups["B"].pk})
    assert clash.status_code == 200 and "already in use" in clash.content.decode()
    loop = leader.post(page, {"code": "B-01", "group": groups["B"].pk, "recruited_via": staff.pk})
    assert loop.status_code == 200 and "cannot be the other way" in loop.content.decode()
    itself = leader.post(page, {"code": "B-01", "group": groups["B"].pk, "recruited_via": user.pk})
    assert itself.status_code == 200 and "valid choice" in itself.content.decode()
    user.refresh_from_db()
    assert user.recruited_via is None
    assert not AuditEvent.objects.filter(action="informant.update").exists()


def test_informant_of_another_evaluation_is_not_found(evaluation, leader, other):
    foreign = other.informants.get()
    assert leader.get(url("fieldwork:informant", evaluation, foreign.pk)).status_code == 404
    assert leader.post(url("fieldwork:informant", evaluation, foreign.pk), {}).status_code == 404


def test_code_suggestion_follows_group_and_site(evaluation, leader, groups, sites):
    response = leader.get(
        url("fieldwork:informant_code", evaluation),
        {"group": groups["A"].pk, "site": sites["Sør"].pk},
    )
    assert response.status_code == 200
    assert "A2-01" in response.content.decode()
    nonsense = leader.get(url("fieldwork:informant_code", evaluation), {"group": "x", "site": "9"})
    assert nonsense.status_code == 200
    assert "next free code" in nonsense.content.decode()


def test_add_form_asks_for_the_suggestion(evaluation, leader):
    html = leader.get(url("fieldwork:informants", evaluation)).content.decode()
    assert url("fieldwork:informant_code", evaluation) in html
    assert 'for="id_recruited_via"' in html


def test_older_free_text_values_survive_an_edit(evaluation, leader, groups):
    informant = evaluation.informants.get(code="B-01")
    informant.age_band = "30–39"  # a band from before the fixed choices
    informant.save()
    page = url("fieldwork:informant", evaluation, informant.pk)
    assert "30–39" in leader.get(page).content.decode()
    response = leader.post(
        page, {"code": "B-01", "group": groups["B"].pk, "age_band": "30–39", "gender": "annet"}
    )
    assert response.status_code == 302
    informant.refresh_from_db()
    assert (informant.age_band, informant.gender) == ("30–39", "annet")

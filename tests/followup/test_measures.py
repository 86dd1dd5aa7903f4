"""Measures: adding, editing, deleting (audited), status history, the reopening rule, filters."""

from __future__ import annotations

import datetime

import pytest

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.followup import actions
from bsbstudio.followup.models import Measure

from .conftest import url


def actions_logged(evaluation):
    return list(
        AuditEvent.objects.filter(evaluation=evaluation, action__startswith="measure.")
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_add_edit_delete_are_audited(evaluation, as_user):
    client = as_user("process_leader")
    access = evaluation.themes.get(name="Tilgang")
    north = evaluation.sites.get(name="Nord")
    response = client.post(
        url("followup:list", evaluation),
        {
            "text": "Faste kontaktpersoner",
            "themes": [access.pk],
            "site": north.pk,
            "owner": "Teamleder",
            "due": "2026-09-01",
            "status": "agreed",
        },
    )
    assert response.status_code == 302
    measure = evaluation.measures.get()
    assert (measure.owner, measure.status, measure.site) == ("Teamleder", "agreed", north)
    assert list(measure.themes.all()) == [access]
    first = measure.history.get()
    assert (first.from_status, first.to_status) == ("", "agreed")

    edit = url("followup:edit", evaluation, measure.pk)
    form = client.get(edit).content.decode()
    assert 'name="status"' not in form  # status changes only with a date and comment
    client.post(edit, {"text": "Faste kontaktpersoner for alle", "owner": "Enhetsleder"})
    measure.refresh_from_db()
    assert (measure.text, measure.owner, measure.status) == (
        "Faste kontaktpersoner for alle",
        "Enhetsleder",
        "agreed",
    )
    confirm = client.get(url("followup:delete", evaluation, measure.pk))
    assert "Delete the measure?" in confirm.content.decode()
    assert evaluation.measures.exists()  # asking deletes nothing
    client.post(url("followup:delete", evaluation, measure.pk))
    assert not evaluation.measures.exists()
    assert actions_logged(evaluation) == ["measure.create", "measure.update", "measure.delete"]


def test_status_changes_are_kept_as_dated_history(evaluation, as_user, measures):
    client = as_user("process_leader")
    measure = measures["overdue"]
    page = url("followup:detail", evaluation, measure.pk)
    client.post(
        page, {"status": "agreed", "changed_on": "2026-03-01", "comment": "Vedtatt i ledermøtet"}
    )
    client.post(page, {"status": "started", "changed_on": "2026-04-01", "comment": ""})
    measure.refresh_from_db()
    assert measure.status == "started"
    history = list(
        measure.history.order_by("changed_on", "id").values_list(
            "from_status", "to_status", "changed_on", "comment"
        )
    )
    assert history[1:] == [
        ("proposed", "agreed", datetime.date(2026, 3, 1), "Vedtatt i ledermøtet"),
        ("agreed", "started", datetime.date(2026, 4, 1), ""),
    ]
    html = client.get(page).content.decode()
    assert "Vedtatt i ledermøtet" in html and "Agreed → Started" in html
    assert actions_logged(evaluation) == ["measure.status", "measure.status"]


@pytest.mark.parametrize("closed", ["done", "dropped"])
def test_reopening_without_a_comment_is_refused_and_changes_nothing(
    evaluation, as_user, measures, closed
):
    client = as_user("process_leader")
    measure = measures[closed]
    response = client.post(
        url("followup:detail", evaluation, measure.pk),
        {"status": "started", "changed_on": datetime.date.today().isoformat(), "comment": "  "},
        follow=True,
    )
    assert response.status_code == 200
    assert "Write a comment that says why it is opened again" in response.content.decode()
    measure.refresh_from_db()
    assert measure.status == closed
    assert measure.history.count() == 1
    assert actions_logged(evaluation) == []


def test_reopening_with_a_comment_is_recorded(evaluation, user, measures):
    measure = measures["done"]
    actions.change_status(user("process_leader"), measure, "started", "Virket ikke i praksis")
    measure.refresh_from_db()
    assert measure.status == "started"
    assert measure.history.order_by("-id").first().comment == "Virket ikke i praksis"


@pytest.mark.parametrize(
    ("status", "day", "message"),
    [
        ("proposed", None, "already has this status"),
        ("finished", None, "is not a status"),
        ("agreed", datetime.date(2025, 12, 1), "cannot be before the last change"),
    ],
)
def test_bad_status_changes_are_refused(evaluation, user, measures, status, day, message):
    measure = measures["overdue"]
    with pytest.raises(actions.MeasureRefused) as refused:
        actions.change_status(user("process_leader"), measure, status, "", day)
    assert message in refused.value.message
    measure.refresh_from_db()
    assert measure.status == "proposed" and measure.history.count() == 1


def test_a_future_date_is_refused_by_the_form(evaluation, as_user, measures):
    measure = measures["overdue"]
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    response = as_user("process_leader").post(
        url("followup:detail", evaluation, measure.pk),
        {"status": "agreed", "changed_on": tomorrow.isoformat()},
    )
    assert "cannot be in the future" in response.content.decode()
    measure.refresh_from_db()
    assert measure.status == "proposed"


def test_a_measure_deleted_by_someone_else_gives_a_message(evaluation, as_user, measures):
    client = as_user("process_leader")
    measure = measures["started"]
    pk = measure.pk
    measure.delete()
    for name, data in [
        ("followup:edit", {"text": "Endret"}),
        ("followup:detail", {"status": "done", "changed_on": "2026-05-01"}),
        ("followup:delete", {}),
    ]:
        response = client.post(url(name, evaluation, pk), data, follow=True)
        assert response.status_code == 200
        assert "This measure no longer exists" in response.content.decode()
    assert not Measure.objects.filter(pk=pk).exists()
    assert actions_logged(evaluation) == []


def listed(client, evaluation, **query):
    response = client.get(url("followup:list", evaluation), query)
    return {m.text for m, _overdue in response.context["rows"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"Kortere ventetid", "Faste kontaktpersoner", "Kriseplan for alle", "Nytt venterom"}),
        ({"site": "Nord"}, {"Kortere ventetid", "Kriseplan for alle"}),
        ({"theme": "Å bli møtt"}, {"Faste kontaktpersoner"}),
        ({"status": "dropped"}, {"Nytt venterom"}),
        ({"overdue": "on"}, {"Kortere ventetid"}),  # the done one is past due but closed
        ({"site": "Nord", "status": "done"}, {"Kriseplan for alle"}),
    ],
)
def test_filters(evaluation, as_user, measures, query, expected):
    if "site" in query:
        query["site"] = evaluation.sites.get(name=query["site"]).pk
    if "theme" in query:
        query["theme"] = evaluation.themes.get(name=query["theme"]).pk
    assert listed(as_user("process_leader"), evaluation, **query) == expected


def test_filter_form_is_labelled_and_a_bad_filter_is_a_message(evaluation, as_user, measures):
    client = as_user("process_leader")
    response = client.get(url("followup:list", evaluation), {"status": "nonsense", "site": "x"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_overdue">' in html or 'for="id_overdue"' in html
    assert "Select a valid choice" in html
    assert len(response.context["rows"]) == 4  # an invalid filter narrows nothing


def test_commissioner_sees_measures_read_only(evaluation, as_user, measures):
    client = as_user("commissioner")
    html = client.get(url("followup:list", evaluation)).content.decode()
    assert "Kortere ventetid" in html
    assert "Add a measure" not in html
    detail = client.get(url("followup:detail", evaluation, measures["started"].pk))
    assert detail.status_code == 200 and "Change the status" not in detail.content.decode()
    assert client.get(url("followup:overview", evaluation)).status_code == 200
    assert client.post(url("followup:list", evaluation), {"text": "Nytt"}).status_code == 403
    assert (
        client.post(
            url("followup:detail", evaluation, measures["started"].pk),
            {"status": "done", "changed_on": "2026-05-01"},
        ).status_code
        == 403
    )
    for name in ("followup:edit", "followup:delete"):
        assert client.get(url(name, evaluation, measures["started"].pk)).status_code == 403
    assert (
        client.post(url("followup:delete", evaluation, measures["started"].pk)).status_code == 403
    )
    assert evaluation.measures.count() == 4
    assert Measure.objects.get(pk=measures["started"].pk).status == "started"


@pytest.mark.parametrize(
    ("role", "status"),
    [("peer_interviewer", 403), ("transcriber", 403), ("outsider", 404)],
)
def test_only_the_process_leader_changes_measures(evaluation, as_user, measures, role, status):
    response = as_user(role).post(url("followup:delete", evaluation, measures["started"].pk))
    assert response.status_code == status
    assert evaluation.measures.count() == 4


def test_overview_counts_by_status_per_site(evaluation, as_user, measures):
    response = as_user("process_leader").get(url("followup:overview", evaluation))
    rows = {row.name: row for row, _bars in response.context["rows"]}
    assert rows["Nord"].counts == {"proposed": 1, "done": 1} and rows["Nord"].overdue == 1
    assert rows["Sør"].counts == {"started": 1} and rows["Sør"].overdue == 0
    assert rows["All sites"].counts == {"dropped": 1}
    html = response.content.decode()
    assert "<svg" in html and "<table" in html and "<caption>" in html


def test_values_no_id_can_have_are_messages_not_errors(evaluation, as_user, measures):
    client = as_user("process_leader")
    huge = "1" + "0" * 30
    response = client.post(
        url("followup:list", evaluation),
        {"text": "Nytt", "site": huge, "themes": [huge], "status": "proposed"},
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert evaluation.measures.count() == 4
    listing = client.get(url("followup:list", evaluation), {"site": huge, "theme": huge})
    assert listing.status_code == 200
    gone = client.get(f"/e/{evaluation.slug}/followup/{huge}/", follow=True)
    assert "This measure no longer exists" in gone.content.decode()
    assert client.get(f"/e/{evaluation.slug}/followup/from-output/{huge}/").status_code == 404


def test_chart_numbers_are_not_localised(evaluation, as_user, measures):
    html = (
        as_user("process_leader", "nb").get(url("followup:overview", evaluation)).content.decode()
    )
    assert 'width="150.0"' in html and ',0"' not in html

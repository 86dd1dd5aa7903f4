"""Editing themes in place on the grid: add, rename, move, delete, and the refusals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.analysis.models import Code, CodedSegment
from bsbstudio.guide.models import Theme


def url(name, evaluation, *args):
    return reverse(name, args=[evaluation.slug, *args])


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def names(evaluation):
    return list(evaluation.themes.order_by("order", "id").values_list("name", flat=True))


# --- Add ----------------------------------------------------------------------------------------


def test_add_theme_puts_it_last_and_makes_its_code(evaluation, leader):
    response = leader.post(url("guide:theme_add", evaluation), {"name": "  Bolig   og  NAV "})
    theme = evaluation.themes.get(name="Bolig og NAV")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#theme-{theme.pk}")
    assert names(evaluation)[-1] == "Bolig og NAV"
    assert Code.objects.get(theme=theme).kind == "guide"
    assert AuditEvent.objects.filter(action="guide.theme.add", object_id=str(theme.pk)).exists()


def test_add_sub_theme(evaluation, leader, themes):
    parent = themes["Tilgang"]
    leader.post(url("guide:theme_add", evaluation), {"name": "Ventetid", "parent": parent.pk})
    assert evaluation.themes.get(name="Ventetid").parent == parent


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "   "}, "Write a name for the theme."),
        ({}, "Write a name for the theme."),
        ({"name": "x" * 201}, "too long"),
        ({"name": "tilgang"}, "Another theme is already called"),
        ({"name": "Ny", "parent": "999999"}, "not found"),
        ({"name": "Ny", "parent": "abc"}, "not found"),
        ({"name": "Ny", "parent": "9" * 40}, "not found"),
    ],
)
def test_bad_new_theme_is_refused_with_a_message(evaluation, leader, data, message):
    before = names(evaluation)
    response = leader.post(url("guide:theme_add", evaluation), data, follow=True)
    assert response.status_code == 200
    assert message in messages_of(response)
    assert names(evaluation) == before


def test_parent_from_another_evaluation_is_refused(evaluation, leader, other_evaluation):
    foreign = other_evaluation.themes.get(name="Bolig")
    response = leader.post(
        url("guide:theme_add", evaluation), {"name": "Ny", "parent": foreign.pk}, follow=True
    )
    assert "not found" in messages_of(response)
    assert not evaluation.themes.filter(name="Ny").exists()


def test_sub_theme_of_a_sub_theme_is_refused(evaluation, leader, themes):
    child = Theme.objects.create(evaluation=evaluation, name="Under", parent=themes["Tilgang"])
    response = leader.post(
        url("guide:theme_add", evaluation), {"name": "Dypt", "parent": child.pk}, follow=True
    )
    assert "is a sub-theme itself" in messages_of(response)
    assert not evaluation.themes.filter(name="Dypt").exists()


# --- Rename -------------------------------------------------------------------------------------


def test_rename_renames_the_code_too(evaluation, leader, themes):
    theme = themes["Tilgang"]
    response = leader.post(
        url("guide:theme_rename", evaluation, theme.pk), {"name": "Tilgjengelighet"}
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.name == "Tilgjengelighet"
    assert Code.objects.get(theme=theme).name == "Tilgjengelighet"
    event = AuditEvent.objects.get(action="guide.theme.rename")
    assert event.detail == {"old": "Tilgang", "new": "Tilgjengelighet"}


@pytest.mark.parametrize(
    ("name", "message"), [("", "Write a name"), ("Å BLI MØTT", "Another theme is already called")]
)
def test_bad_rename_changes_nothing(evaluation, leader, themes, name, message):
    theme = themes["Tilgang"]
    response = leader.post(
        url("guide:theme_rename", evaluation, theme.pk), {"name": name}, follow=True
    )
    assert message in messages_of(response)
    theme.refresh_from_db()
    assert theme.name == "Tilgang"


def test_rename_to_the_same_name_with_other_case_is_allowed(evaluation, leader, themes):
    theme = themes["Tilgang"]
    leader.post(url("guide:theme_rename", evaluation, theme.pk), {"name": "TILGANG"})
    theme.refresh_from_db()
    assert theme.name == "TILGANG"


def test_theme_that_does_not_exist_gets_a_message_not_an_error(evaluation, leader):
    for name in (
        "guide:theme_rename",
        "guide:theme_move",
        "guide:theme_merge",
        "guide:theme_delete",
    ):
        response = leader.post(url(name, evaluation, 999999), {"name": "X"}, follow=True)
        assert response.status_code == 200
        assert "not found in this guide" in messages_of(response)


def test_theme_of_another_evaluation_cannot_be_changed_from_this_one(
    evaluation, leader, other_evaluation
):
    foreign = other_evaluation.themes.get(name="Bolig")
    response = leader.post(
        url("guide:theme_rename", evaluation, foreign.pk), {"name": "Kapret"}, follow=True
    )
    assert "not found in this guide" in messages_of(response)
    foreign.refresh_from_db()
    assert foreign.name == "Bolig"


# --- Move ---------------------------------------------------------------------------------------


def test_move_down_and_up(evaluation, leader, themes):
    leader.post(url("guide:theme_move", evaluation, themes["Tilgang"].pk), {"direction": "down"})
    assert names(evaluation) == ["Å bli møtt", "Tilgang"]
    leader.post(url("guide:theme_move", evaluation, themes["Tilgang"].pk), {"direction": "up"})
    assert names(evaluation) == ["Tilgang", "Å bli møtt"]
    assert AuditEvent.objects.filter(action="guide.theme.move").count() == 2


def test_move_works_when_every_theme_has_the_same_order(evaluation, leader):
    evaluation.themes.update(order=0)
    first, second = evaluation.themes.order_by("order", "id")
    leader.post(url("guide:theme_move", evaluation, second.pk), {"direction": "up"})
    assert names(evaluation) == [second.name, first.name]
    # The code order follows the theme order (matrix and reports list codes by it).
    codes = Code.objects.filter(evaluation=evaluation, kind="guide").order_by("order")
    assert [code.name for code in codes] == [second.name, first.name]


@pytest.mark.parametrize(
    ("theme", "direction", "message"),
    [
        ("Tilgang", "up", "already the first theme"),
        ("Å bli møtt", "down", "already the last theme"),
        ("Tilgang", "sideways", "up or down"),
    ],
)
def test_move_past_the_edge_or_sideways_changes_nothing(
    evaluation, leader, themes, theme, direction, message
):
    response = leader.post(
        url("guide:theme_move", evaluation, themes[theme].pk), {"direction": direction}, follow=True
    )
    assert message in messages_of(response)
    assert names(evaluation) == ["Tilgang", "Å bli møtt"]


# --- Delete -------------------------------------------------------------------------------------


def test_delete_asks_first_then_deletes(evaluation, leader, themes):
    theme = themes["Tilgang"]
    response = leader.post(url("guide:theme_delete", evaluation, theme.pk))
    assert response.status_code == 200
    assert "Delete “Tilgang”?" in response.content.decode()
    assert evaluation.themes.filter(pk=theme.pk).exists()
    response = leader.post(url("guide:theme_delete", evaluation, theme.pk), {"confirm": "yes"})
    assert response.status_code == 302
    assert not evaluation.themes.filter(pk=theme.pk).exists()
    assert not Code.objects.filter(name="Tilgang").exists()
    assert AuditEvent.objects.filter(action="guide.theme.delete").exists()


def test_delete_of_a_theme_with_coded_quotes_is_refused(evaluation, leader, themes, code_quote):
    theme = themes["Tilgang"]
    code_quote(theme, "Det tok lang tid")
    for data in ({}, {"confirm": "yes"}):
        response = leader.post(url("guide:theme_delete", evaluation, theme.pk), data, follow=True)
        text = messages_of(response)
        assert "cannot be deleted" in text and "1 coded quotes" in text and "Merge" in text
    assert evaluation.themes.filter(pk=theme.pk).exists()
    assert CodedSegment.objects.get().code.theme == theme


def test_delete_of_a_parent_whose_sub_theme_has_quotes_is_refused(
    evaluation, leader, themes, code_quote
):
    from bsbstudio.analysis.actions import sync_guide_codes

    child = Theme.objects.create(evaluation=evaluation, name="Under", parent=themes["Tilgang"])
    sync_guide_codes(evaluation)
    code_quote(child, "lang tid")
    response = leader.post(
        url("guide:theme_delete", evaluation, themes["Tilgang"].pk), {"confirm": "yes"}, follow=True
    )
    assert "cannot be deleted" in messages_of(response)
    assert CodedSegment.objects.count() == 1


def test_delete_of_a_theme_with_written_report_text_is_refused(evaluation, leader, themes):
    from bsbstudio.reports.models import Report, ThemeSection

    report = Report.objects.create(evaluation=evaluation, title="Prosessrapport")
    ThemeSection.objects.create(report=report, theme=themes["Tilgang"], main_points="Viktig.")
    response = leader.post(
        url("guide:theme_delete", evaluation, themes["Tilgang"].pk), {"confirm": "yes"}, follow=True
    )
    assert "1 report sections" in messages_of(response)
    assert ThemeSection.objects.filter(main_points="Viktig.").exists()


# --- The structure page keeps the same protection ------------------------------------------------


def structure_data(evaluation, **changes):
    themes = list(evaluation.themes.order_by("order", "id"))
    groups = list(evaluation.informant_groups.all())
    data = {
        "themes-TOTAL_FORMS": str(len(themes)),
        "themes-INITIAL_FORMS": str(len(themes)),
        "groups-TOTAL_FORMS": str(len(groups)),
        "groups-INITIAL_FORMS": str(len(groups)),
    }
    for i, theme in enumerate(themes):
        data |= {f"themes-{i}-id": theme.pk, f"themes-{i}-name": theme.name}
        data |= {f"themes-{i}-order": theme.order, f"themes-{i}-description": ""}
    for i, group in enumerate(groups):
        data |= {f"groups-{i}-id": group.pk, f"groups-{i}-code": group.code}
        data |= {f"groups-{i}-name": group.name, f"groups-{i}-order": group.order}
    return data | changes


def test_structure_page_refuses_to_delete_a_theme_with_quotes(
    evaluation, leader, themes, code_quote
):
    code_quote(themes["Tilgang"], "lang tid")
    data = structure_data(evaluation, **{"themes-0-DELETE": "on", "themes-1-name": "Endret"})
    response = leader.post(url("guide:structure", evaluation), data)
    assert response.status_code == 200
    assert "cannot be deleted" in messages_of(response)
    assert names(evaluation) == ["Tilgang", "Å bli møtt"]  # the rename was not saved either
    assert CodedSegment.objects.count() == 1


def test_structure_page_refuses_to_delete_a_group_with_informants(evaluation, leader):
    data = structure_data(evaluation, **{"groups-0-DELETE": "on"})
    response = leader.post(url("guide:structure", evaluation), data)
    assert response.status_code == 200
    assert "informants belong to it" in messages_of(response)
    assert evaluation.informant_groups.count() == 2


def test_structure_page_still_deletes_an_unused_theme(evaluation, leader):
    data = structure_data(evaluation, **{"themes-1-DELETE": "on"})
    assert leader.post(url("guide:structure", evaluation), data).status_code == 302
    assert names(evaluation) == ["Tilgang"]


# --- Permissions --------------------------------------------------------------------------------

TOOLS = ["guide:theme_rename", "guide:theme_move", "guide:theme_merge", "guide:theme_delete"]


@pytest.mark.parametrize(
    ("role", "status"), [("peer_interviewer", 403), ("commissioner", 403), ("outsider", 404)]
)
@pytest.mark.parametrize("tool", TOOLS)
def test_only_guide_editors_may_change_themes(evaluation, client_as, themes, tool, role, status):
    theme = themes["Tilgang"]
    data = {"name": "Kapret", "direction": "down", "into": themes["Å bli møtt"].pk}
    response = client_as(role).post(url(tool, evaluation, theme.pk), data | {"confirm": "yes"})
    assert response.status_code == status
    assert names(evaluation) == ["Tilgang", "Å bli møtt"]


@pytest.mark.parametrize(("role", "status"), [("transcriber", 403), ("outsider", 404)])
def test_only_guide_editors_may_add_themes(evaluation, client_as, role, status):
    response = client_as(role).post(url("guide:theme_add", evaluation), {"name": "Ny"})
    assert response.status_code == status
    assert not evaluation.themes.filter(name="Ny").exists()


def test_theme_tools_answer_get_with_method_not_allowed(evaluation, leader, themes):
    response = leader.get(url("guide:theme_delete", evaluation, themes["Tilgang"].pk))
    assert response.status_code == 405

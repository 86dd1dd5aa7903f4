"""Themes added in place and reordered with the keyboard, all saved with one Save (issue 13)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser

NEW_THEMES = ["Bolig", "Arbeid", "Fritid"]


def focused(page) -> str:
    return page.evaluate(
        "(document.activeElement.name || '') + '|' + (document.activeElement.textContent || '')"
    )


def tab_to(page, text: str, limit: int = 20) -> None:
    """Press Tab until the focus is on the button with ``text``, as a keyboard user would."""
    for _ in range(limit):
        if focused(page).endswith("|" + text):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{text!r} was not reached with Tab; focus is on {focused(page)!r}")


def test_three_themes_added_with_the_keyboard_reordered_and_saved_at_once(
    transactional_db, evaluation, log_in_as, live_server, wait_until
):
    page = log_in_as("process_leader")
    page.goto(live_server.url + reverse("guide:structure", args=[evaluation.slug]))
    rows = "#rows-themes tbody tr[data-row]"
    assert page.locator(rows).count() == 3  # two themes and the one blank row
    # With the script, places are not typed and the Delete boxes give way to buttons.
    assert page.locator('#rows-themes input[name$="-ORDER"][type="hidden"]').count() == 3
    assert not page.locator('#rows-themes input[name$="-DELETE"]').first.is_visible()

    page.locator("#rows-themes tbody tr").last.locator('input[name$="-name"]').focus()
    for number, name in enumerate(NEW_THEMES, start=1):
        tab_to(page, "Add a row")
        page.keyboard.press("Enter")
        wait_until(page, f"document.querySelectorAll('{rows}').length === {3 + number}")
        wait_until(page, "document.activeElement.name.endsWith('-name')")
        page.keyboard.type(name)
    assert page.locator("#id_themes-TOTAL_FORMS").input_value() == "6"

    fritid = page.locator(rows).nth(5)
    assert fritid.locator('input[name$="-name"]').input_value() == "Fritid"
    fritid.locator('input[name$="-name"]').focus()
    tab_to(page, "Move up")
    page.keyboard.press("Enter")
    wait_until(
        page,
        "document.querySelector('[data-rows-status=\"themes\"]').textContent"
        " === 'Moved to place 5 of 6.'",
    )
    shown = [
        page.locator(rows).nth(i).locator('input[name$="-name"]').input_value() for i in range(6)
    ]
    assert shown == ["Tilgang", "Å bli møtt", "", "Bolig", "Fritid", "Arbeid"]
    assert focused(page).endswith("|Move up")  # the focus stays on the button that was pressed

    page.get_by_role("button", name="Save", exact=True).focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/guide/")
    assert "Themes and groups were saved." in page.inner_text("body")
    names = list(evaluation.themes.order_by("order", "id").values_list("name", flat=True))
    assert names == ["Tilgang", "Å bli møtt", "Bolig", "Fritid", "Arbeid"]
    assert evaluation.codes.filter(name="Fritid", kind="guide").exists()


def test_a_main_theme_moves_with_its_sub_themes_by_button_and_by_dragging(
    transactional_db, evaluation, log_in_as, live_server, wait_until
):
    from bsbstudio.guide.models import Theme

    access = evaluation.themes.get(name="Tilgang")
    # Stored after "Å bli møtt" (the grid moves rows one by one); the page shows it under its main theme.
    Theme.objects.create(evaluation=evaluation, name="Ventetid", parent=access, order=5)
    page = log_in_as("process_leader")
    page.goto(live_server.url + reverse("guide:structure", args=[evaluation.slug]))
    rows = page.locator("#rows-themes tbody tr[data-row]")

    def shown():
        return [rows.nth(i).locator('input[name$="-name"]').input_value() for i in range(4)]

    assert shown() == ["Tilgang", "Ventetid", "Å bli møtt", ""]
    status = "document.querySelector('[data-rows-status=\"themes\"]').textContent"
    rows.nth(1).get_by_role("button", name="Move up").click()
    wait_until(page, f"{status} === 'This row is already at the top.'")
    rows.nth(0).get_by_role("button", name="Move down").click()
    wait_until(page, f"{status} === 'Moved to place 2 of 3.'")
    assert shown() == ["Å bli møtt", "Tilgang", "Ventetid", ""]
    # Dragged by its handle to below the blank row.
    target = rows.nth(3)
    box = target.bounding_box()
    rows.nth(0).locator("[data-row-handle]").drag_to(
        target, target_position={"x": 20, "y": box["height"] - 4}
    )
    wait_until(page, f"{status} === 'Moved to place 3 of 3.'")
    assert shown() == ["Tilgang", "Ventetid", "", "Å bli møtt"]
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/guide/")
    names = list(evaluation.themes.order_by("order", "id").values_list("name", flat=True))
    assert names == ["Tilgang", "Ventetid", "Å bli møtt"]


def test_the_short_name_follows_the_name_as_the_server_would_make_it(
    transactional_db, evaluation, log_in_as, live_server
):
    from django.contrib.auth import get_user_model

    from bsbstudio.accounts.members import set_org_admin
    from bsbstudio.evaluations.short_names import short_name

    set_org_admin(None, get_user_model().objects.get(username="process_leader"), True)
    page = log_in_as("process_leader")
    page.goto(live_server.url + reverse("evaluations:create"))
    name = page.locator("#id_name")
    short = page.get_by_role("textbox", name="Short name")
    typed = "Bærum Øst på Ålgård: Grünerløkka_2026!"
    name.press_sequentially(typed)
    assert short.input_value() == short_name(typed) == "baerum-ost-pa-algard-grunerlokka-2026"
    short.fill("Eget Navn")
    short.press("Tab")
    assert short.input_value() == "eget-navn"
    name.press_sequentially(" mer")
    assert short.input_value() == "eget-navn"  # a short name of one's own is left alone

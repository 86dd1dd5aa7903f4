"""The conference evaluation form on a 360 px phone: open a link, answer, no sideways scrolling."""

from __future__ import annotations

import pytest
from django.utils import timezone

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= 360"


def test_a_participant_answers_on_a_phone(
    transactional_db, evaluation, log_in_as, live_server, browser
):
    from bsbstudio.conference.models import DialogueConference, FeedbackAnswer

    conference = DialogueConference.objects.create(
        evaluation=evaluation, title="Dialogkonferanse Nord", date=timezone.localdate()
    )
    # The process leader opens a link and sees its address and QR code.
    page = log_in_as("process_leader")
    page.goto(f"{live_server.url}/e/test/conference/{conference.pk}/feedback/")
    page.get_by_role("button", name="Open the form").click()
    page.get_by_text("The form is open").wait_for()
    assert page.locator(".qr svg").count() == 1
    address = page.locator("a.feedback-url").get_attribute("href")
    assert address.startswith(f"{live_server.url}/f/")

    # A participant's phone: no session, no language cookie (Norwegian), 360 px wide.
    phone = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
    errors: list[str] = []
    form = phone.new_page()
    form.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    form.on("pageerror", lambda error: errors.append(str(error)))
    try:
        form.goto(address)
        assert form.evaluate(NO_SIDEWAYS_SCROLL)
        assert form.get_by_role("group", name="Hvor nyttig var dagen for deg?").is_visible()
        # Sending nothing: the errors are listed at the top and linked to their fields.
        form.get_by_role("button", name="Send svaret").click()
        form.get_by_text("Noe mangler i svaret ditt").wait_for()
        assert form.evaluate(NO_SIDEWAYS_SCROLL)
        form.get_by_role("link", name="Velg et tall fra 1 til 5.").click()
        assert form.evaluate("document.activeElement.id") == "id_usefulness_0"

        # Large touch targets: every choice is at least 44 px high.
        heights = form.locator("label.choice").evaluate_all(
            "labels => labels.map(l => l.getBoundingClientRect().height)"
        )
        assert heights and min(heights) >= 44

        form.get_by_role("radio", name="4", exact=True).check()
        form.get_by_role("radio", name="Delvis").check()
        form.get_by_label("Var det noe som manglet?").fill("Mer tid til gruppearbeid.")
        # The keyboard alone picks the role: focus the first choice and press space.
        form.get_by_role("radio", name="Bruker").focus()
        form.keyboard.press("Space")
        assert form.get_by_role("radio", name="Bruker").is_checked()
        form.get_by_role("button", name="Send svaret").click()
        form.get_by_role("heading", name="Takk for svaret!").wait_for()
        assert form.evaluate(NO_SIDEWAYS_SCROLL)
    finally:
        phone.close()
    assert not errors, f"console errors: {errors}"
    answer = FeedbackAnswer.objects.get()
    assert (answer.usefulness, answer.said_what_wanted, answer.role) == (4, "partly", "users")
    assert answer.answered_on == timezone.localdate()

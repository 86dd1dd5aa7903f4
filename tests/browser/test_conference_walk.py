"""A process leader runs a dialogue conference in the browser, from the plan to a measure done."""

from __future__ import annotations

import docx
import pytest
from django.utils import timezone
from pptx import Presentation

pytestmark = pytest.mark.browser

PROPOSAL = "Svar på henvisning innen to uker"
QUOTE = "det tok lang tid før de kom første gang. Tre måneder, liksom."


@pytest.fixture
def approved_report(evaluation, coded_quote):
    """Nord's process report, quoting the coded quote, approved."""
    from django.contrib.auth import get_user_model

    from bsbstudio.reports import actions as report_actions

    leader = get_user_model().objects.get(username="process_leader")
    report = report_actions.create_process_report(
        leader, evaluation, evaluation.sites.get(name="Nord")
    )
    section = report.sections.get(theme__name="Tilgang")
    section.main_points = "Det tar lang tid før hjelpen kommer."
    section.save(update_fields=["main_points"])
    report_actions.approve_report(leader, report)
    return report


def download(page, link, tmp_path):
    """Click ``link``; return the download's suggested file name and its saved path."""
    with page.expect_download() as info:
        link.click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    return info.value.suggested_filename, saved


def test_plan_hold_and_follow_up_a_conference(
    evaluation, approved_report, log_in_as, live_server, browser, tmp_path
):
    from bsbstudio.conference.models import DialogueConference, FeedbackAnswer, ThemeValidation
    from bsbstudio.followup.models import Measure

    page = log_in_as("process_leader")
    # Plan the conference, presenting the approved process report.
    page.goto(f"{live_server.url}/e/{evaluation.slug}/conference/")
    plan = page.locator("form", has=page.locator("#id_title"))
    plan.get_by_label("Title").fill("Dialogkonferanse Nord")
    plan.get_by_label("Site", exact=True).select_option(label="Nord")
    plan.get_by_label("Date").fill(timezone.localdate().isoformat())
    plan.get_by_label("Process report presented").select_option(str(approved_report.pk))
    plan.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Dialogkonferanse Nord").wait_for()
    conference = DialogueConference.objects.get()

    # A work group on the theme of access.
    page.get_by_role("link", name="Add a group").click()
    page.get_by_label("Name").fill("Gruppe 1")
    page.get_by_label("Tilgang").check()
    page.get_by_label("Questions").fill("Hva kjenner dere igjen?")
    page.get_by_role("button", name="Save").click()
    group = page.locator("article.card", has=page.get_by_role("heading", name="Gruppe 1"))
    group.wait_for()

    # The slides and the group's sheet: named files that PowerPoint and Word open.
    name, saved = download(
        page, page.get_by_role("link", name="Download slides (PowerPoint)").first, tmp_path
    )
    assert name == "lysark-dialogkonferanse-nord.pptx"
    slides = [
        shape.text_frame.text
        for slide in Presentation(str(saved)).slides
        for shape in slide.shapes
        if shape.has_text_frame
    ]
    assert any(QUOTE in text for text in slides)
    name, saved = download(
        page, page.get_by_role("link", name="Group sheet (Word)").first, tmp_path
    )
    assert name == "gruppeark-gruppe-1.docx"
    sheet = "\n".join(p.text for p in docx.Document(str(saved)).paragraphs)
    assert "Group sheet: Gruppe 1" in sheet and QUOTE in sheet

    # What the group proposed, and how the conference received the theme.
    group.get_by_text("Add an output").click()
    group.get_by_label("Kind").select_option(label="Proposed measure")
    group.get_by_label("Text").fill(PROPOSAL)
    group.get_by_role("button", name="Add").click()
    page.get_by_text(PROPOSAL).first.wait_for()
    validation = page.locator("#validation")
    validation.get_by_text("Link an output to a theme").click()
    validation.get_by_label("Group output").select_option(
        label=f"Gruppe 1 · Proposed measure: {PROPOSAL}"
    )
    validation.get_by_label("Theme", exact=True).select_option(label="Tilgang")
    validation.get_by_label("Status").select_option(label="Confirmed")
    validation.get_by_role("button", name="Add").click()
    page.locator("#validation td", has_text="Confirmed").wait_for()
    assert ThemeValidation.objects.get().status == "confirmed"

    # One participant answers the evaluation form on a 360 px phone.
    page.get_by_role("link", name="Evaluation form").first.click()
    page.get_by_role("button", name="Open the form").click()
    address = page.locator("a.feedback-url").get_attribute("href")
    phone = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
    errors: list[str] = []
    form = phone.new_page()
    form.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        form.goto(address)
        assert form.evaluate("document.documentElement.scrollWidth <= 360")
        form.get_by_role("radio", name="4", exact=True).check()
        form.get_by_role("radio", name="Ja").check()
        form.get_by_role("radio", name="Bruker").check()
        form.get_by_role("button", name="Send svaret").click()
        form.get_by_role("heading", name="Takk for svaret!").wait_for()
    finally:
        phone.close()
    assert not errors, f"console errors on the phone: {errors}"
    assert FeedbackAnswer.objects.get().usefulness == 4

    # The minutes are approved; the proposal becomes a measure, which is then done.
    page.goto(f"{live_server.url}/e/{evaluation.slug}/conference/{conference.pk}/")
    page.get_by_role("button", name="Approve the minutes").click()
    page.get_by_text("The minutes are approved.").wait_for()
    page.get_by_role("link", name="Make a measure of it").click()
    assert page.get_by_label("Measure").input_value() == PROPOSAL
    page.get_by_role("button", name="Make the measure").click()
    page.get_by_text("The measure was added.").wait_for()
    measure = Measure.objects.get()
    assert measure.source_output.text == PROPOSAL
    page.get_by_label("New status").select_option(label="Done")
    page.get_by_role("button", name="Change the status").click()
    page.get_by_text("The status was changed.").wait_for()
    measure.refresh_from_db()
    assert measure.status == Measure.Status.DONE
    conference.refresh_from_db()
    assert conference.minutes_approved

"""A process leader walks the fieldwork: guide -> informant -> consent -> interview -> transcript.

Runs in English (the language cookie) so that the walk reads like the issue; the circle walk in
test_walk_the_circle.py covers the Norwegian pages.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

pytestmark = pytest.mark.browser

TRANSCRIPT = (
    "I: Velkommen. Hvordan var det første møtet med teamet?\n"
    "D1: De kom hjem til meg etter to uker. Det var bra, men jeg ventet lenge på telefon.\n"
    "I: Hva betydde det for deg?\n"
    "D1: At noen tok meg på alvor.\n"
)


def test_guide_informant_consent_interview_transcript(
    transactional_db, evaluation, log_in_as, live_server, tmp_path
):
    page = log_in_as("process_leader")
    base = f"{live_server.url}/e/test"

    # Theme guide: sharpen one question and add a follow-up question.
    page.goto(f"{base}/guide/")
    cell = page.get_by_role("textbox", name="Question for Brukere about Tilgang")
    cell.fill("Hvordan fikk du kontakt med teamet første gang?")
    page.get_by_role("textbox", name="Follow-up questions for Brukere about Tilgang").fill(
        "Hvor lenge ventet du?\nHvem hjalp deg?"
    )
    page.get_by_role("button", name="Save the guide").click()
    page.get_by_text("The theme guide was saved").wait_for()

    # Informant: the pseudonym code is generated from group and site.
    page.goto(f"{base}/fieldwork/informants/")
    page.locator("#id_group").select_option(label="Brukere")
    page.locator("#id_site").select_option(label="Nord")
    page.locator("#id_gender").select_option(value="kvinne")
    page.get_by_role("button", name="Add informant").click()
    page.get_by_text("Informant B1-01 was added").wait_for()

    # Interview: plan it, then add the informant as speaker D1.
    page.goto(f"{base}/fieldwork/interviews/")
    page.locator("#id_code").fill("EI1")
    page.locator("#id_kind").select_option(value="individual")
    page.locator("#id_site").select_option(label="Nord")
    page.locator("#id_date").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Add interview").click()
    page.get_by_role("heading", name="Interview EI1").wait_for()
    page.get_by_text("Add a participant").click()
    page.locator("#id_informant").select_option(label="B1-01")
    page.locator("#id_speaker_code").fill("D1")
    page.get_by_role("button", name="Add participant").click()
    page.get_by_text("The participant was added").wait_for()

    # Consent checklist, then mark the interview held: it keeps the guide version it used.
    page.get_by_text("B1-01 (D1)").first.click()
    checklist = page.get_by_role("group", name="Consent checklist for B1-01 (D1)")
    checklist.get_by_label("Information brochure given").check()
    checklist.get_by_label("Oral consent at the start of the interview").check()
    checklist.get_by_role("radio", name="Yes").check()
    checklist.get_by_label("Told of the right to skip questions").check()
    checklist.get_by_role("button", name="Save consent for B1-01").click()
    page.get_by_text("complete").first.wait_for()
    assert page.get_by_text("Consent has gaps").count() == 0
    page.get_by_text("Edit the interview").click()
    page.locator("#id_interview-status").select_option(value="held")
    page.get_by_role("button", name="Save interview").click()
    page.get_by_text("Guide version 1").wait_for()

    # Transcript: upload a text file; the speakers are known, so review comes next.
    transcript = tmp_path / "ei1.txt"
    transcript.write_text(TRANSCRIPT, encoding="utf-8")
    page.get_by_label("Transcript file").set_input_files(str(transcript))
    page.get_by_role("button", name="Add transcript").click()
    page.get_by_text("ei1.txt was added. Turns: 4. Speakers: 2.").wait_for()
    page.get_by_role("heading", name="De-identification of EI1").wait_for()

    from bsbstudio.fieldwork.models import Consent, Interview

    interview = Interview.objects.get(evaluation__slug="test", code="EI1")
    assert interview.status == "held" and interview.guide_version.number == 1
    access = interview.guide_version.snapshot["themes"][0]
    asked_users = next(q for q in access["questions"] if q["group"] == "B")
    assert asked_users["subquestions"] == "Hvor lenge ventet du?\nHvem hjalp deg?"
    consent = Consent.objects.get(interview=interview)
    assert consent.recording_consent is True and consent.informed_of_rights
    assert interview.transcripts.get().turns.filter(role="participant").count() == 2

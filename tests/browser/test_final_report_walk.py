"""From the matrix to a downloaded final report: start it, write it, approve it, open the DOCX."""

from __future__ import annotations

import docx
import pytest

pytestmark = pytest.mark.browser

ADVICE = "Gi svar på henvisningen innen to uker."


def test_write_approve_and_download_the_final_report(
    evaluation, coded_quote, log_in_as, live_server, tmp_path
):
    from bsbstudio.reports.models import Report

    goal = evaluation.goals.get()
    evaluation.themes.get(name="Tilgang").goals.add(goal)
    page = log_in_as("process_leader")

    # The matrix holds the coded quote; from there to the reports and the final report.
    page.goto(f"{live_server.url}/e/{evaluation.slug}/analysis/matrix/")
    page.get_by_role("navigation").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="The final report (sluttrapport)").click()
    page.get_by_role("button", name="Start the final report").click()

    # Front matter.
    page.get_by_role("link", name="Title, foreword and summaries").click()
    page.get_by_label("Foreword").fill("Takk til alle som fortalte.")
    page.get_by_label("Summary", exact=True).fill("Brukerne venter lenge.")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("The report was saved.").wait_for()
    page.get_by_role("navigation").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="The final report (sluttrapport)").click()

    # The chapter on access: a quote box, the assessment, one recommendation for the goal.
    page.get_by_role("link", name="Tilgang", exact=True).click()
    page.get_by_label(coded_quote.quote, exact=False).check()
    page.get_by_label("Assessment").fill("Ventetiden er for lang.")
    first = page.get_by_role("group", name="Recommendation 1")
    first.get_by_role("textbox").fill(ADVICE)
    first.get_by_label(goal.text).check()
    page.get_by_role("button", name="Save chapter").click()
    page.get_by_text("The report was saved.").wait_for()
    # Every chapter needs an assessment before approval: the other one, briefly.
    page.get_by_role("link", name="Back to the final report").click()
    page.get_by_role("link", name="Å bli møtt", exact=True).click()
    page.get_by_label("Assessment").fill("Brukerne blir møtt med respekt.")
    page.get_by_role("button", name="Save chapter").click()
    page.get_by_text("The report was saved.").wait_for()

    # Approve, then download the approved Word file.
    page.get_by_role("link", name="Back to the final report").click()
    page.get_by_role("link", name="Approve", exact=True).click()
    page.get_by_role("button", name="Yes, approve the report").click()
    page.get_by_text("The report is approved").wait_for()
    report = Report.objects.get(evaluation=evaluation, kind=Report.Kind.FINAL)
    assert report.state == Report.State.APPROVED
    with page.expect_download() as info:
        page.get_by_role("link", name="Download (Word)").click()
    assert info.value.suggested_filename == "sluttrapport-testevaluering.docx"
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    document = docx.Document(str(saved))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Tilgang" in headings and "Å bli møtt" in headings
    text = [p.text for p in document.paragraphs]
    assert any(t.startswith("Quote 1") for t in text)
    assert f"«{coded_quote.quote}»" in text
    assert f"Recommendation 1: {ADVICE}" in text
    assert "Ventetiden er for lang." in text

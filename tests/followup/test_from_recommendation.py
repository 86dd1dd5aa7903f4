"""A final report's recommendation becomes a measure; both show the link; the report names it."""

from __future__ import annotations

import io

import docx
import pytest

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.evaluations.models import Evaluation
from bsbstudio.followup import actions
from bsbstudio.followup.forms import MeasureForm
from bsbstudio.reports import final
from bsbstudio.reports.models import FinalChapter, Recommendation, Report

from .conftest import url

ADVICE = "Gi alle en fast kontaktperson"


@pytest.fixture
def recommendation(evaluation, user):
    """The final report started, with one recommendation in the chapter on access."""
    report = final.create_final_report(user("process_leader"), evaluation)
    chapter = report.chapters.get(theme__name="Tilgang")
    final.save_chapter(
        user("process_leader"),
        chapter,
        experiences="",
        assessment="Vurdering.",
        quote_ids=[],
        recommendations=[(ADVICE, {evaluation.goals.get().pk})],
    )
    return chapter.recommendations.get()


def make(client, evaluation, recommendation):
    page = url("followup:from_recommendation", evaluation, recommendation.pk)
    form = client.get(page).context["form"]
    return client.post(
        page, {"text": form.initial["text"], "themes": form.initial["themes"], "status": "agreed"}
    )


def test_recommendation_prefills_and_makes_a_linked_measure(evaluation, as_user, recommendation):
    client = as_user("process_leader")
    page = url("followup:from_recommendation", evaluation, recommendation.pk)
    form = client.get(page).context["form"]
    assert form.initial["text"] == ADVICE
    assert form.initial["themes"] == [evaluation.themes.get(name="Tilgang").pk]
    response = make(client, evaluation, recommendation)
    measure = evaluation.measures.get()
    assert response.status_code == 302 and measure.source_recommendation == recommendation
    assert measure.source_output is None
    assert [t.name for t in measure.themes.all()] == ["Tilgang"]
    event = AuditEvent.objects.get(action="measure.create")
    assert event.detail["source_recommendation"] == recommendation.pk
    detail = client.get(url("followup:detail", evaluation, measure.pk)).content.decode()
    assert "Follows up the final report" in detail and ADVICE in detail
    # The other way: the chapter page lists the measure under its recommendation.
    chapter = client.get(url("reports:final_chapter", evaluation, recommendation.chapter_id))
    html = chapter.content.decode()
    assert url("followup:detail", evaluation, measure.pk) in html
    assert url("followup:from_recommendation", evaluation, recommendation.pk) in html
    # Asked again, the page says the recommendation is already followed up.
    again = client.get(url("followup:from_recommendation", evaluation, recommendation.pk))
    assert "already followed up" in again.content.decode()


def test_editing_the_chapter_keeps_the_link(evaluation, as_user, recommendation, user):
    client = as_user("process_leader")
    make(client, evaluation, recommendation)
    measure = evaluation.measures.get()
    goal = evaluation.goals.get().pk
    chapter = recommendation.chapter
    # A new recommendation before it and another edited: the followed one stays the same row.
    final.save_chapter(
        user("process_leader"),
        chapter,
        experiences="",
        assessment="Vurdering, endret.",
        quote_ids=[],
        recommendations=[("Kortere ventetid", {goal}), (ADVICE, {goal})],
    )
    measure.refresh_from_db()
    assert measure.source_recommendation_id == recommendation.pk
    assert [r.text for r in chapter.recommendations.all()] == ["Kortere ventetid", ADVICE]
    # Its text edited (the other removed): the row is kept and still linked.
    final.save_chapter(
        user("process_leader"),
        chapter,
        experiences="",
        assessment="Vurdering, endret.",
        quote_ids=[],
        recommendations=[(ADVICE + " innen ett år", {goal})],
    )
    measure.refresh_from_db()
    assert measure.source_recommendation.text == ADVICE + " innen ett år"
    assert Recommendation.objects.filter(chapter=chapter).count() == 1
    # Removed from the report: the measure stays, without its source.
    final.save_chapter(
        user("process_leader"),
        chapter,
        experiences="",
        assessment="Vurdering, endret.",
        quote_ids=[],
        recommendations=[],
    )
    measure.refresh_from_db()
    assert measure.source_recommendation is None


def test_final_report_docx_names_the_measures(evaluation, as_user, recommendation):
    make(as_user("process_leader"), evaluation, recommendation)
    report = recommendation.chapter.report
    response = as_user("process_leader", "nb").get(url("reports:download", evaluation, report.pk))
    assert response.status_code == 200
    text = [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs]
    start = text.index(f"Anbefaling 1: {ADVICE}")
    assert f"Tiltak som følger opp anbefalingen: {ADVICE}" in text[start + 1 : start + 3]
    pdf = as_user("process_leader", "nb").get(url("reports:download_pdf", evaluation, report.pk))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_other_recommendations_and_people_are_refused(evaluation, as_user, recommendation, user):
    client = as_user("process_leader")
    other = Evaluation.objects.create(name="Annen", slug="annen")
    foreign_chapter = FinalChapter.objects.create(
        report=Report.objects.create(evaluation=other, kind=Report.Kind.FINAL),
        theme=evaluation.themes.get(name="Tilgang"),
    )
    foreign = Recommendation.objects.create(chapter=foreign_chapter, text="Fremmed")
    assert (
        client.get(url("followup:from_recommendation", evaluation, foreign.pk)).status_code == 404
    )
    assert (
        client.post(url("followup:from_recommendation", evaluation, 2**63), {"text": "x"})
    ).status_code == 404
    assert as_user("commissioner").get(
        url("followup:from_recommendation", evaluation, recommendation.pk)
    ).status_code in (403, 404)
    form = MeasureForm({"text": "x", "status": "proposed"}, evaluation=evaluation)
    assert form.is_valid()
    with pytest.raises(actions.MeasureRefused):
        actions.create_measure(
            user("process_leader"), evaluation, form, source_recommendation=foreign
        )
    assert not evaluation.measures.exists()


def test_the_leak_guard_reads_the_measures_in_the_final_report(evaluation, as_user, recommendation):
    make(as_user("process_leader"), evaluation, recommendation)
    measure = evaluation.measures.get()
    measure.text = "Ring Kari på 91 23 45 67"
    measure.save(update_fields=["text"])
    data = final.final_input(recommendation.chapter.report, "nb")
    assert "Ring Kari på 91 23 45 67" in final.final_export_texts(data)

"""The final report (sluttrapport): chapters in order, numbered quotes, goals, states, bad input."""

from __future__ import annotations

import io

import docx
import pytest

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.evaluations.models import Goal
from bsbstudio.reports import final
from bsbstudio.reports.models import FinalChapter, QuoteBox, Recommendation, Report, ReportApproval

from .conftest import APPROVED_QUOTE, UNAPPROVED_QUOTE, url
from .pdftext import pages_text


def paragraphs(content: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(content)).paragraphs]


@pytest.fixture
def leader(as_user):
    return as_user("process_leader")


@pytest.fixture
def leader_nb(as_user):
    """The process leader with pages (and so rendered reports) in bokmål."""
    return as_user("process_leader", "nb")


@pytest.fixture
def goal(evaluation):
    goal = evaluation.goals.get()
    evaluation.themes.get(name="Tilgang").goals.add(goal)
    return goal


@pytest.fixture
def report(evaluation, quotes, goal, leader):
    """A final report started in the browser, both chapters filled through the chapter page."""
    leader.post(url("reports:final_start", evaluation))
    report = Report.objects.get(evaluation=evaluation, kind=Report.Kind.FINAL)
    for chapter in report.chapters.select_related("theme"):
        data = {
            "experiences": f"Erfaringer om {chapter.theme.name}.",
            "assessment": f"Vurdering av {chapter.theme.name}.",
            "rec_count": "1",
            "rec_text_0": f"Anbefaling om {chapter.theme.name}.",
            "rec_goals_0": [goal.pk],
        }
        if chapter.theme.name == "Tilgang":
            data["quotes"] = [quotes["approved"].pk]
        leader.post(url("reports:final_chapter", evaluation, chapter.pk), data)
    return report


def chapter(report, theme):
    return report.chapters.get(theme__name=theme)


def test_start_makes_one_chapter_per_theme_and_is_audited(report):
    assert [c.theme.name for c in report.chapters.select_related("theme")] == [
        "Tilgang",
        "Å bli møtt",
    ]
    assert AuditEvent.objects.filter(action="report.create", object_id=str(report.pk)).exists()
    assert AuditEvent.objects.filter(action="report.chapter_save").count() == 2


def test_docx_has_the_chapters_in_order_goals_first_and_numbered_quotes(
    evaluation, report, leader_nb
):
    # A second quote box in the second chapter: numbering runs through the report.
    second = chapter(report, "Å bli møtt")
    segment = chapter(report, "Tilgang").quote_boxes.get().segment
    QuoteBox.objects.create(chapter=second, segment=segment, order=0)
    response = leader_nb.get(url("reports:download", evaluation, report.pk))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:5] == [
        "Forord",
        "Sammendrag",
        "English summary",
        "Metode",
        "Sammenligning av stedene",
    ]
    assert headings[5:7] == ["Tilgang", "Å bli møtt"]
    text = paragraphs(response.content)
    start = text.index("Tilgang")
    chapter_text = text[start : text.index("Å bli møtt", start)]
    order = [
        chapter_text.index("Mål i planene"),
        next(
            i
            for i, t in enumerate(chapter_text)
            if t.startswith("Mål 1: Raskt første besøk (Plan, side 3)")
        ),
        chapter_text.index("Brukernes erfaringer"),
        chapter_text.index("Erfaringer om Tilgang."),
        chapter_text.index("Sitater"),
        chapter_text.index("Vurdering"),
        chapter_text.index("Anbefalinger"),
    ]
    assert order == sorted(order)
    captions = [t for t in text if t.startswith("Sitat ")]
    assert [c.split(" · ")[0] for c in captions] == ["Sitat 1", "Sitat 2"]
    assert f"«{APPROVED_QUOTE}»" in text
    assert "– Bruker, Nord" in text
    assert "Anbefaling 1: Anbefaling om Tilgang." in text
    assert "Anbefaling 2: Anbefaling om Å bli møtt." in text
    assert text.count("Svarer på: mål 1 (Raskt første besøk)") == 2
    # A real TOC field, and the page number field in the footer.
    body = document.element.xml
    assert 'TOC \\o "1-2"' in body
    assert "PAGE" in document.sections[0].footer._element.xml


def test_method_chapter_figures_are_the_fixtures_counts(evaluation, report, leader_nb):
    document = docx.Document(
        io.BytesIO(leader_nb.get(url("reports:download", evaluation, report.pk)).content)
    )
    tables = {tuple(c.text for c in t.rows[0].cells): t for t in document.tables}
    interviews = tables[("Sted", "Fokusgrupper", "Individuelle intervjuer", "Sum")]
    rows = [[c.text for c in row.cells] for row in interviews.rows[1:]]
    # FG1 and FG2 in Nord (conftest), nothing in Sør.
    assert rows == [["Nord", "2", "0", "2"], ["Sør", "0", "0", "0"], ["Sum", "2", "0", "2"]]
    informants = tables[("Sted", "Brukere", "Ansatte", "Sum")]
    rows = [[c.text for c in row.cells] for row in informants.rows[1:]]
    assert rows == [["Nord", "1", "1", "2"], ["Sør", "0", "0", "0"], ["Sum", "1", "1", "2"]]
    text = [p.text for p in document.paragraphs]
    assert "Deltakerne på dialogkonferansene er ikke registrert ennå." in text
    assert len(document.inline_shapes) == 2  # the two charts


def test_conference_participants_per_role_when_recorded(evaluation, report, leader):
    from bsbstudio.conference.models import DialogueConference, ParticipantCount

    conference = DialogueConference.objects.create(evaluation=evaluation, title="Dialog Nord")
    ParticipantCount.objects.create(conference=conference, role="users", count=7)
    ParticipantCount.objects.create(conference=conference, role="staff", count=4)
    figures = final.method_figures(evaluation)
    labels = dict(ParticipantCount._meta.get_field("role").choices)
    assert dict(figures.conference) == {str(labels["users"]): 7, str(labels["staff"]): 4}


def test_pdf_has_a_toc_with_pages_and_page_numbers(evaluation, report, leader_nb):
    response = leader_nb.get(url("reports:download_pdf", evaluation, report.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pages = pages_text(response.content)
    toc = next(
        i for i, page in enumerate(pages) if page.startswith(("Innhold", f"{i + 1} Innhold"))
    )
    tilgang_page = next(i for i, page in enumerate(pages) if "Tilgang Mål i planene" in page) + 1
    assert f"Tilgang {tilgang_page}" in pages[toc]
    # Every page after the title page ends or starts with its number.
    for number, page in enumerate(pages[1:], start=2):
        assert page.endswith(f" {number}") or page.startswith(f"{number} ")
    assert "Sitat 1 · positivt" in " ".join(pages)


def test_approval_freezes_docx_and_pdf_and_the_commissioner_sees_only_that(
    evaluation, report, leader, as_user
):
    commissioner = as_user("commissioner")
    assert commissioner.get(url("reports:final", evaluation)).status_code == 200
    assert (
        "No report is approved yet."
        in commissioner.get(url("reports:final", evaluation)).content.decode()
    )
    for name in ("reports:download", "reports:download_pdf"):
        assert commissioner.get(url(name, evaluation, report.pk)).status_code == 404
    leader.post(url("reports:approve", evaluation, report.pk))
    report.refresh_from_db()
    assert report.state == Report.State.APPROVED
    approval = ReportApproval.objects.get(report=report)
    assert bytes(approval.pdf_content).startswith(b"%PDF") and approval.pdf_sha256
    pdf = commissioner.get(url("reports:download_pdf", evaluation, report.pk))
    assert pdf.content == bytes(approval.pdf_content)
    word = commissioner.get(url("reports:download", evaluation, report.pk))
    assert word.content == bytes(approval.content)
    # An edit makes a draft again; the commissioner still gets the approved file.
    leader.post(
        url("reports:final_front", evaluation),
        {"title": "Ny tittel", "foreword": "Nytt forord", "summary": "", "summary_en": ""},
    )
    report.refresh_from_db()
    assert report.state == Report.State.DRAFT
    assert commissioner.get(url("reports:download", evaluation, report.pk)).content == bytes(
        approval.content
    )


def test_commissioner_cannot_edit(evaluation, report, as_user):
    commissioner = as_user("commissioner")
    page = url("reports:final_chapter", evaluation, chapter(report, "Tilgang").pk)
    assert commissioner.post(page, {"experiences": "x", "rec_count": "0"}).status_code == 403
    assert chapter(report, "Tilgang").experiences == "Erfaringer om Tilgang."


def test_a_quote_from_an_unapproved_text_is_refused(evaluation, report, quotes, leader):
    target = chapter(report, "Tilgang")
    response = leader.post(
        url("reports:final_chapter", evaluation, target.pk),
        {
            "experiences": "Endret",
            "assessment": "Endret",
            "quotes": [quotes["approved"].pk, quotes["unapproved"].pk],
            "rec_count": "0",
        },
        follow=True,
    )
    assert "may only quote approved de-identified texts" in response.content.decode()
    target.refresh_from_db()
    assert target.experiences == "Erfaringer om Tilgang."
    assert list(target.quote_boxes.values_list("segment_id", flat=True)) == [quotes["approved"].pk]
    assert UNAPPROVED_QUOTE not in response.content.decode()


def test_the_chapter_page_offers_only_approved_quotes_and_a_starting_point(
    evaluation, report, leader
):
    page = url("reports:final_chapter", evaluation, chapter(report, "Tilgang").pk)
    html = leader.get(page).content.decode()
    assert APPROVED_QUOTE in html and UNAPPROVED_QUOTE not in html
    response = leader.post(page, {"op": "draft", "experiences": "Egen tekst.", "rec_count": "0"})
    html = response.content.decode()
    assert (
        "Egen tekst.\n\nThe theme is covered by one quote. By group: Brukere 1. By site: Nord 1."
        in html
    )
    assert "Positive: 1, critical: 0, neutral: 0." in html
    assert chapter(report, "Tilgang").experiences == "Erfaringer om Tilgang."  # not saved yet


def test_no_themes_gives_a_message_and_no_report(evaluation, leader):
    evaluation.codes.all().delete()
    evaluation.themes.all().delete()
    response = leader.post(url("reports:final_start", evaluation), follow=True)
    assert response.status_code == 200
    assert "The final report needs themes" in response.content.decode()
    assert not Report.objects.filter(kind=Report.Kind.FINAL).exists()


def test_an_empty_assessment_stops_approval_with_a_message(evaluation, report, leader):
    FinalChapter.objects.filter(pk=chapter(report, "Å bli møtt").pk).update(assessment="  ")
    response = leader.post(url("reports:approve", evaluation, report.pk), follow=True)
    assert response.status_code == 200
    assert "These chapters have no assessment yet: Å bli møtt." in response.content.decode()
    report.refresh_from_db()
    assert report.state == Report.State.DRAFT and not report.approvals.exists()


def test_a_recommendation_whose_goal_was_deleted_stops_approval(evaluation, report, goal, leader):
    Goal.objects.filter(pk=goal.pk).delete()
    assert Recommendation.objects.count() == 2
    page = leader.get(url("reports:approve", evaluation, report.pk)).content.decode()
    assert "Recommendation 1, 2 answers no goal of the plan" in page
    assert not leader.post(url("reports:approve", evaluation, report.pk)).status_code >= 500
    assert not report.approvals.exists()


def test_ticking_a_deleted_goal_saves_nothing(evaluation, report, goal, leader):
    target = chapter(report, "Tilgang")
    response = leader.post(
        url("reports:final_chapter", evaluation, target.pk),
        {
            "experiences": "Endret",
            "rec_count": "1",
            "rec_text_0": "Ny",
            "rec_goals_0": [goal.pk + 999],
        },
        follow=True,
    )
    assert "no longer exists in the plan" in response.content.decode()
    target.refresh_from_db()
    assert target.experiences == "Erfaringer om Tilgang."
    assert [r.text for r in target.recommendations.all()] == ["Anbefaling om Tilgang."]


def test_only_one_final_report_per_evaluation(evaluation, report, leader):
    leader.post(url("reports:final_start", evaluation))
    assert Report.objects.filter(evaluation=evaluation, kind=Report.Kind.FINAL).count() == 1


def test_step_8_is_done_once_the_final_report_is_approved(evaluation, report, leader):
    from bsbstudio.evaluations.engine.circle import DONE, IN_PROGRESS, circle_states
    from bsbstudio.web.progress import circle_counts

    state = {s.key: s.state for s in circle_states(circle_counts(evaluation))}
    assert state["reports"] == IN_PROGRESS
    leader.post(url("reports:approve", evaluation, report.pk))
    state = {s.key: s.state for s in circle_states(circle_counts(evaluation))}
    assert state["reports"] == DONE


def test_strange_input_is_a_message_or_cleaned_never_a_500(evaluation, report, leader):
    front = leader.post(
        url("reports:final_front", evaluation),
        {"title": "Tittel\x00", "foreword": "Forord\x00", "summary": "", "summary_en": ""},
    )
    assert front.status_code == 302
    report.refresh_from_db()
    assert (report.title, report.foreword) == ("Tittel", "Forord")
    too_long = leader.post(url("reports:final_front", evaluation), {"title": "x" * 201})
    assert too_long.status_code == 200 and "at most 200 characters" in too_long.content.decode()
    page = url("reports:final_chapter", evaluation, chapter(report, "Tilgang").pk)
    for data in ({"rec_count": "²"}, {"quotes": ["²"]}, {"rec_count": "1", "rec_goals_0": ["x"]}):
        response = leader.post(page, data, follow=True)
        assert response.status_code == 200
    assert chapter(report, "Tilgang").experiences == "Erfaringer om Tilgang."


def _review_findings(report, user) -> None:
    """A reviewer judges what the leak guard flags in the fixture's texts harmless."""
    from bsbstudio.reports import actions

    actions.mark_reviewed(user("process_leader"), report, actions.pending_findings(report))


def test_the_comparison_chapter_has_the_cross_site_tables_with_their_sums(
    evaluation, report, leader_nb, user
):
    _review_findings(report, user)
    content = leader_nb.get(url("reports:download", evaluation, report.pk)).content
    document = docx.Document(io.BytesIO(content))
    assert "Sammenligning av stedene" in [p.text for p in document.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    # Quotes per theme and site: the one approved quote is coded Tilgang in Nord (conftest).
    quotes = next(t for t in tables if t[0][0] == "Tema" and t[0][1:3] == ["Nord", "Sør"])
    assert quotes[1][:4] == ["Tilgang", "1", "0", "1"]
    assert quotes[-1][0] == "Sum" and quotes[-1][1:] == ["1", "0", "1"]
    # Interviews per site and kind: FG1 and FG2 are focus groups in Nord, the sum row adds up.
    interviews = next(t for t in tables if t[1][0] == "Nord" and t[0][-1] == "Totalt")
    assert interviews[1][-1] == "2" and interviews[2][-1] == "0"
    assert interviews[-1][0] == "Sum" and interviews[-1][-1] == "2"
    pdf = leader_nb.get(url("reports:download_pdf", evaluation, report.pk)).content
    assert "Sammenligning av stedene" in " ".join(pages_text(pdf))


def test_one_site_has_no_comparison_chapter(evaluation, report, leader_nb, user):
    evaluation.sites.filter(name="Sør").delete()
    _review_findings(report, user)
    content = leader_nb.get(url("reports:download", evaluation, report.pk)).content
    assert "Sammenligning av stedene" not in paragraphs(content)

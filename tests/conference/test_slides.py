"""The conference slides (PPTX and PDF): content, exact quotes, leak guard, who may download."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.conference import slides as slide_export
from bsbstudio.conference.engine.slides import (
    BODY_BOTTOM,
    DeckInput,
    GroupWork,
    choose_quotes,
    plan_slides,
    render_pdf,
    render_pptx,
)
from bsbstudio.reports import actions as report_actions
from bsbstudio.reports.engine import ProcessReportInput, Quote, ThemeFindings

from . import slide_fixtures
from .slide_fixtures import QUOTES, pdf_pages, slide_texts

# Fixtures shared with the group sheet tests.
conference, leader_user, report = (
    slide_fixtures.conference,
    slide_fixtures.leader_user,
    slide_fixtures.report,
)

LONG_QUOTE = " ".join(
    f"Det {n}. året ventet jeg, og ingen ringte tilbake før det hadde gått altfor lang tid."
    for n in range(1, 8)
)


def deck(themes, groups=()):
    data = ProcessReportInput(evaluation_name="Lindvåg", site_name="Nord", themes=themes)
    return DeckInput(
        report=data, title="Dialogkonferanse Nord", held_on=date(2026, 3, 3), groups=groups
    )


# -- the engine, without a database ------------------------------------------------------------


def test_slides_have_a_title_a_slide_per_theme_the_questions_and_a_closing_slide():
    themes = [
        ThemeFindings(
            "Tilgang",
            main_points="- Lang ventetid\n- For få ansatte",
            quotes=[Quote("Det tok tre måneder.", "Brukere", "critical")],
        ),
        ThemeFindings(
            "Å bli møtt", quotes=[Quote("Jeg ble møtt med respekt.", "Ansatte", "positive")]
        ),
    ]
    group = GroupWork("Gruppe 1", ("Tilgang",), ("Hva kjenner dere igjen?",))
    content = render_pptx(plan_slides(deck(themes, (group,))))
    texts = slide_texts(content)
    assert len(texts) == 5
    assert texts[0].startswith("Dialogkonferanse Nord")
    assert "Dato: 3. mars 2026" in texts[0]
    assert texts[1].startswith("Tilgang") and "Lang ventetid" in texts[1]
    assert "«Det tok tre måneder.»" in texts[1]
    assert "– Bruker · kritisk" in texts[1]
    assert texts[2].startswith("Å bli møtt") and "– Ansatt · positiv" in texts[2]
    assert "Ingen hovedpunkter er skrevet ennå." in texts[2]
    assert texts[3].startswith("Gruppearbeid: Gruppe 1") and "Hva kjenner dere igjen?" in texts[3]
    assert texts[4].startswith("Takk for oppmerksomheten")


def test_the_slide_title_is_the_title_placeholder():
    from io import BytesIO

    from pptx import Presentation

    content = render_pptx(plan_slides(deck([ThemeFindings("Tilgang")])))
    titles = [s.shapes.title.text for s in Presentation(BytesIO(content)).slides]
    assert titles == ["Dialogkonferanse Nord", "Tilgang", "Takk for oppmerksomheten"]


def test_a_long_quote_is_never_shortened_but_continues_on_a_second_slide():
    quotes = [Quote(LONG_QUOTE, "Brukere", "critical"), Quote("Kort og godt.", "Brukere")]
    themes = [ThemeFindings("Tilgang", main_points="- Ett\n- To\n- Tre", quotes=quotes)]
    planned = plan_slides(deck(themes))
    texts = slide_texts(render_pptx(planned))
    assert [t.split("\n")[0] for t in texts[1:-1]] == ["Tilgang", "Tilgang (forts.)"]
    assert sum(f"«{LONG_QUOTE}»" in t for t in texts) == 1
    assert sum("«Kort og godt.»" in t for t in texts) == 1
    for slide in planned.slides:
        assert all(b.top + b.height <= BODY_BOTTOM + 0.01 for b in slide.blocks)


def test_the_pdf_has_one_page_per_slide():
    themes = [
        ThemeFindings(f"Tema {n}", quotes=[Quote(LONG_QUOTE, "Brukere"), Quote("Ja.", "Ansatte")])
        for n in range(3)
    ]
    planned = plan_slides(deck(themes))
    content = render_pdf(planned)
    assert content.startswith(b"%PDF")
    assert pdf_pages(content) == len(planned.slides) == len(slide_texts(render_pptx(planned)))


def test_at_most_four_quotes_per_theme_mixing_the_polarities():
    quotes = [Quote(f"Positivt {n}", "Brukere", "positive") for n in range(5)] + [
        Quote("Kritisk", "Brukere", "critical")
    ]
    chosen = choose_quotes(quotes)
    assert len(chosen) == 4
    assert [q.text for q in chosen] == ["Positivt 0", "Positivt 1", "Positivt 2", "Kritisk"]


# -- through the pages ---------------------------------------------------------------------


def slides_url(conference, fmt):
    return reverse("conference:slides", args=[conference.evaluation.slug, conference.pk, fmt])


def test_the_team_downloads_the_conference_slides_with_exact_quotes(conference, as_user):
    response = as_user("peer_interviewer").get(slides_url(conference, "pptx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.pptx"')
    texts = slide_texts(response.content)
    assert texts[0].startswith("Dialogkonferanse Nord")
    assert "Place: Kulturhuset" in texts[0]  # the slides speak the reader's language
    headings = [t.split("\n")[0] for t in texts]
    assert "Tilgang" in headings and "Å bli møtt" in headings
    for quotes in QUOTES.values():
        for quote, _polarity in quotes:
            assert sum(f"«{quote}»" in t for t in texts) == 1, quote
    group_slide = next(t for t in texts if t.startswith("Group work: Gruppe 1"))
    assert "Hva bør tjenesten gjøre annerledes?" in group_slide
    assert "Themes: Tilgang" in group_slide
    event = AuditEvent.objects.get(action="conference.slides.export")
    assert event.detail["format"] == "pptx"
    assert event.object_id == str(conference.pk)


def test_the_pdf_slides_match_the_powerpoint(conference, as_user):
    client = as_user("process_leader")
    pptx = client.get(slides_url(conference, "pptx")).content
    pdf = client.get(slides_url(conference, "pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf_pages(pdf.content) == len(slide_texts(pptx))


def test_report_slides_without_a_conference_ask_the_guide_questions(
    report, evaluation, as_user, settings
):
    url = reverse("conference:report_slides", args=[evaluation.slug, report.pk, "pptx"])
    client = as_user("process_leader")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    texts = slide_texts(client.get(url).content)
    assert any(t.startswith("Gruppearbeid: Tilgang") and "Spørsmål om Tilgang" in t for t in texts)
    assert "– Bruker · kritisk" in "\n".join(texts)
    edit = as_user("process_leader").get(reverse("reports:edit", args=[evaluation.slug, report.pk]))
    assert url in edit.content.decode()


def test_the_conference_page_links_the_slides_and_group_sheets(conference, as_user):
    html = (
        as_user("process_leader")
        .get(reverse("conference:detail", args=[conference.evaluation.slug, conference.pk]))
        .content.decode()
    )
    group = conference.groups.get()
    assert slides_url(conference, "pptx") in html
    assert slides_url(conference, "pdf") in html
    assert (
        reverse(
            "conference:group_sheet",
            args=[conference.evaluation.slug, conference.pk, group.pk, "docx"],
        )
        in html
    )


PHONE = "91 23 45 67"


@pytest.fixture
def flagged(conference, report):
    section = report.sections.get(theme__name="Tilgang")
    section.main_points = f"Ring {PHONE} for mer."
    section.save(update_fields=["main_points"])
    return conference


@pytest.mark.parametrize("fmt", ["pptx", "pdf"])
def test_an_unreviewed_phone_number_blocks_the_slides(flagged, make_user, as_user, fmt):
    from bsbstudio.accounts.models import Membership, Role

    member = make_user("new_peer")
    Membership.objects.create(
        evaluation=flagged.evaluation, user=member, role=Role.PEER_INTERVIEWER
    )
    response = as_user("new_peer").get(slides_url(flagged, fmt))
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert "The report awaits review" in html
    assert PHONE not in html
    assert not AuditEvent.objects.filter(action="conference.slides.export").exists()


def test_a_signed_reviewer_checks_the_flagged_words_then_downloads(flagged, as_user):
    client = as_user("peer_interviewer")
    url = slides_url(flagged, "pptx")
    review = client.get(url)
    assert PHONE in review.content.decode()
    assert AuditEvent.objects.filter(action="conference.slides.leak_view").exists()
    assert client.post(url, {}).status_code == 302  # not confirmed: nothing marked
    assert client.get(url)["Content-Type"].startswith("text/html")
    assert client.post(url, {"confirm": "on"})["Location"] == url
    response = client.get(url)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert any(PHONE in t for t in slide_texts(response.content))


def test_the_leak_guard_refuses_the_export_itself(flagged, leader_user):
    with pytest.raises(slide_export.LeakRisk):
        slide_export.export_slides(leader_user, flagged.process_report, "pptx", flagged)


def test_a_commissioner_cannot_download_slides_of_a_draft_report(report, evaluation, as_user):
    url = reverse("conference:report_slides", args=[evaluation.slug, report.pk, "pptx"])
    response = as_user("commissioner").get(url)
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="conference.slides.export").exists()


def test_a_commissioner_downloads_the_slides_of_an_approved_report(
    report, evaluation, as_user, leader_user
):
    report_actions.approve_report(leader_user, report)
    url = reverse("conference:report_slides", args=[evaluation.slug, report.pk, "pptx"])
    response = as_user("commissioner").get(url)
    assert response.status_code == 200
    texts = slide_texts(response.content)
    assert any(f"«{QUOTES['Tilgang'][0][0]}»" in t for t in texts)


def test_an_unknown_format_is_a_clear_message(conference, as_user):
    response = as_user("process_leader").get(slides_url(conference, "exe"), follow=True)
    assert response.status_code == 200
    assert "This file format is not offered." in response.content.decode()


def test_a_conference_without_a_report_says_so(conference, as_user):
    conference.process_report = None
    conference.save(update_fields=["process_report"])
    response = as_user("process_leader").get(slides_url(conference, "pptx"), follow=True)
    assert "Choose the process report this conference presents" in response.content.decode()


# -- the command line and the benchmark ------------------------------------------------------


def test_the_command_writes_the_same_slides_as_the_page(conference, as_user, tmp_path, settings):
    from bsbstudio.cli.main import main

    out = tmp_path / "lysark.pptx"
    assert main(["conference", "slides", "test", "1", "--out", str(out)]) == 0
    client = as_user("process_leader")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    page = client.get(slides_url(conference, "pptx")).content
    assert slide_texts(out.read_bytes()) == slide_texts(page)
    assert "Sted: Kulturhuset" in slide_texts(page)[0]
    event = AuditEvent.objects.filter(action="conference.slides.export").order_by("seq").first()
    assert event.detail["via"] == "command"


def test_the_command_writes_a_report_pdf_and_refuses_bad_input(report, tmp_path, capsys):
    from bsbstudio.cli.main import main

    out = tmp_path / "lysark.pdf"
    assert (
        main(["conference", "slides", "test", "--report", str(report.pk), "--out", str(out)]) == 0
    )
    assert out.read_bytes().startswith(b"%PDF")
    # title, two themes, the guide questions of each theme, closing
    assert pdf_pages(out.read_bytes()) == 6
    bad = tmp_path / "x.pptx"
    assert main(["conference", "slides", "test", "--report", "999999", "--out", str(bad)]) == 1
    assert main(["conference", "slides", "test", "--out", str(tmp_path / "x.txt")]) == 1
    assert not bad.exists()
    assert "no process report with id 999999" in capsys.readouterr().err


def test_the_command_refuses_slides_with_an_unreviewed_phone_number(flagged, tmp_path, capsys):
    from bsbstudio.cli.main import main

    out = tmp_path / "lysark.pptx"
    assert main(["conference", "slides", "test", "1", "--out", str(out)]) == 1
    assert not out.exists()
    assert "may identify someone" in capsys.readouterr().err


def test_the_benchmark_prints_the_slides_beside_the_baseline(capsys):
    from bsbstudio.cli.main import main

    # Whether the target is met depends on the machine (a benchmark, not a timed test): the
    # exit status says so and the line names it either way.
    status = main(["bench", "report", "--themes", "15", "--quotes", "60", "--repeat", "1"])
    out = capsys.readouterr().out
    assert "15 themes, 60 quotes" in out
    assert "slides PPTX" in out and "baseline" in out and "ratio" in out
    assert status in (0, 1)
    assert "target: slides under 2 s (met" in out or "target: slides under 2 s (NOT met" in out


def test_quotes_from_a_text_no_longer_approved_stop_the_slides(conference, report, as_user):
    from bsbstudio.transcripts.models import DeidentifiedText

    DeidentifiedText.objects.update(approved_at=None)
    response = as_user("process_leader").get(slides_url(conference, "pptx"), follow=True)
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert "Quotes from de-identified texts that are not approved: 3" in html
    assert not AuditEvent.objects.filter(action="conference.slides.export").exists()


def test_slides_downloaded_again_after_an_edit_show_the_edit(conference, report, as_user):
    """Drawn slides are kept for the next download; a changed report must never get them."""
    client = as_user("process_leader")
    before = client.get(slides_url(conference, "pptx")).content
    assert client.get(slides_url(conference, "pptx")).content == before  # the same deck again
    section = report.sections.select_related("theme").get(theme__name="Tilgang")
    section.main_points = "- Ventetiden ble kortere etter at teamet fikk ny turnus"
    section.save(update_fields=["main_points"])
    after = slide_texts(client.get(slides_url(conference, "pptx")).content)
    assert any("Ventetiden ble kortere etter at teamet fikk ny turnus" in t for t in after)
    assert "Ventetiden ble kortere" not in "\n".join(slide_texts(before))


def test_slides_downloaded_twice_are_drawn_once_and_exported_twice(conference, as_user):
    from bsbstudio.conference.models import KeptSlides

    client = as_user("process_leader")
    first = client.get(slides_url(conference, "pptx")).content
    kept = KeptSlides.objects.get()
    assert bytes(kept.content) == first and kept.slides == len(slide_texts(first))
    assert client.get(slides_url(conference, "pptx")).content == first
    assert KeptSlides.objects.count() == 1  # the second came from the kept file
    assert AuditEvent.objects.filter(action="conference.slides.export").count() == 2
    client.get(slides_url(conference, "pdf"))
    assert KeptSlides.objects.count() == 2  # each format is a file of its own


def test_kept_slides_are_checked_by_the_leak_guard_at_every_download(flagged, leader_user):
    report = flagged.process_report
    findings = slide_export.slide_findings(report, flagged).blocking
    assert any(PHONE in f.text or f.text in PHONE for f in findings)
    report.reviewed_identifiers = sorted({f.text for f in findings})  # a reviewer judged them
    report.save(update_fields=["reviewed_identifiers"])
    slide_export.export_slides(leader_user, report, "pptx", flagged)  # drawn and kept
    report.reviewed_identifiers = []  # the review no longer holds
    report.save(update_fields=["reviewed_identifiers"])
    with pytest.raises(slide_export.LeakRisk):
        slide_export.export_slides(leader_user, report, "pptx", flagged)


def test_kept_slides_go_with_their_report_and_only_the_newest_few_stay(
    conference, report, leader_user
):
    from bsbstudio.conference.models import KeptSlides

    section = report.sections.get(theme__name="Tilgang")
    for n in range(slide_export.KEPT_PER_REPORT + 2):
        section.main_points = f"- Punkt nummer {n}"
        section.save(update_fields=["main_points"])
        slide_export.export_slides(leader_user, report, "pptx", conference)
    assert KeptSlides.objects.filter(report=report).count() == slide_export.KEPT_PER_REPORT
    report.delete()
    assert not KeptSlides.objects.exists()

"""The circle walked through the views, with the bad input each step must refuse cleanly."""

from __future__ import annotations

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.analysis.models import CodedSegment
from bsbstudio.deid.models import Detection
from bsbstudio.fieldwork.models import Informant
from bsbstudio.guide.models import GuideQuestion
from bsbstudio.transcripts.models import DeidentifiedText, Transcript


def url(name, evaluation, *args):
    return reverse(name, args=[evaluation.slug, *args])


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


@pytest.fixture
def leader(evaluation, client_as):
    return client_as("process_leader")


@pytest.fixture
def interview(evaluation):
    return evaluation.interviews.get(code="FG1")


def upload_text(client, evaluation, interview, text):
    return client.post(
        url("transcripts:upload", evaluation, interview.pk), {"text": text}, follow=True
    )


@pytest.fixture
def deidentified(evaluation, interview, leader, transcript_text):
    upload_text(leader, evaluation, interview, transcript_text)
    transcript = interview.transcripts.get()
    leader.post(
        url("deid:review", evaluation, transcript.pk), {"confirm_rest": "1", "create_text": "1"}
    )
    return transcript.deidentified_texts.get()


# --- Plan, guide, informants ---------------------------------------------------------------


def test_plan_refuses_a_period_that_ends_before_it_starts(evaluation, leader):
    data = {
        "name": "Ny",
        "slug": "test",
        "period_start": "2026-05-01",
        "period_end": "2026-01-01",
        "replacement_mode": "placeholder",
        **{f"{p}-TOTAL_FORMS": "0" for p in ("sites", "goals", "problems")},
        **{f"{p}-INITIAL_FORMS": "0" for p in ("sites", "goals", "problems")},
    }
    response = leader.post(url("evaluations:plan", evaluation), data)
    assert response.status_code == 200
    evaluation.refresh_from_db()
    assert evaluation.name == "Testevaluering"


def test_new_evaluation_makes_its_creator_process_leader(db, verified_client, make_user):
    from bsbstudio.accounts.members import set_org_admin

    user = make_user("starter")
    set_org_admin(None, user, True)  # only organisation administrators start evaluations
    from django.test import Client

    client = verified_client(user, Client())  # organisation administrators use two factors
    response = client.post(
        reverse("evaluations:create"),
        {"name": "Ny evaluering", "slug": "ny", "replacement_mode": "placeholder"},
    )
    assert response.status_code == 302
    assert user.memberships.get().role == "process_leader"


def test_guide_cell_left_empty_is_saved_as_an_empty_cell(evaluation, leader):
    # Real guides leave cells empty where a theme is not asked of a group (issue 13).
    themes, groups = list(evaluation.themes.all()), list(evaluation.informant_groups.all())
    data = {f"q_{t.pk}_{g.pk}": "Nytt spørsmål" for t in themes for g in groups}
    data[f"q_{themes[0].pk}_{groups[1].pk}"] = "   "
    assert leader.post(url("guide:grid", evaluation), data).status_code == 302
    assert GuideQuestion.objects.filter(text="Nytt spørsmål").count() == 3
    assert not GuideQuestion.objects.filter(theme=themes[0], group=groups[1]).exists()


def test_guide_grid_saves_every_cell(evaluation, leader):
    themes, groups = list(evaluation.themes.all()), list(evaluation.informant_groups.all())
    data = {f"q_{t.pk}_{g.pk}": f"Hva med {t.name}?" for t in themes for g in groups}
    assert leader.post(url("guide:grid", evaluation), data).status_code == 302
    assert GuideQuestion.objects.filter(text__startswith="Hva med").count() == 4


def test_new_theme_becomes_a_code(evaluation, leader):
    data = {
        "themes-TOTAL_FORMS": "1",
        "themes-INITIAL_FORMS": "0",
        "themes-0-name": "Bolig",
        "themes-0-order": "5",
        "groups-TOTAL_FORMS": "0",
        "groups-INITIAL_FORMS": "0",
    }
    assert leader.post(url("guide:structure", evaluation), data).status_code == 302
    assert evaluation.codes.filter(name="Bolig", kind="guide").exists()


def test_duplicate_pseudonym_code_is_refused(evaluation, leader):
    group = evaluation.informant_groups.first()
    response = leader.post(
        url("fieldwork:informants", evaluation), {"code": "b-01", "group": group.pk}
    )
    assert response.status_code == 200
    assert "B-01" in response.content.decode() or "b-01" in response.content.decode()
    assert Informant.objects.filter(evaluation=evaluation).count() == 2


def test_duplicate_speaker_code_is_refused(evaluation, interview, leader):
    informant = Informant.objects.create(
        evaluation=evaluation, code="B-02", group=evaluation.informant_groups.first()
    )
    response = leader.post(
        url("fieldwork:interview", evaluation, interview.pk),
        {"informant": informant.pk, "speaker_code": "D1"},
    )
    assert response.status_code == 200
    assert interview.participations.count() == 2


# --- Transcripts: bad input changes nothing -------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (
            {"text": "Dette er bare tekst uten noen talerkoder i det hele tatt.\nOg en linje til."},
            "speaker",
        ),
        ({"file": ("tom.txt", b"")}, "tom.txt"),
        ({"file": ("binary.txt", bytes(range(256)) * 40)}, "binary.txt"),
        ({"file": ("broken.docx", b"PK\x03\x04 not really a zip")}, "broken.docx"),
        ({}, ""),
    ],
)
def test_bad_transcript_input_gets_a_message_and_changes_nothing(
    evaluation, interview, leader, payload, expected
):
    data = dict(payload)
    if "file" in data:
        name, content = data["file"]
        data["file"] = SimpleUploadedFile(name, content)
    response = leader.post(url("transcripts:upload", evaluation, interview.pk), data, follow=True)
    assert response.status_code == 200
    text = messages_of(response)
    assert text, "a message must explain the problem"
    assert expected.lower() in text.lower() or not expected or "talerkode" in text.lower()
    assert not Transcript.objects.exists()


def test_transcript_upload_parses_turns_and_flags_the_phone_number(
    evaluation, interview, leader, transcript_text
):
    response = upload_text(leader, evaluation, interview, transcript_text)
    assert response.status_code == 200
    transcript = interview.transcripts.get()
    turns = list(transcript.turns.all())
    assert [t.speaker_code for t in turns] == ["I", "D1", "D2", "D1"]
    assert turns[1].participation.informant.code == "B-01"
    for turn in turns:
        assert 0 <= turn.start <= turn.end <= len(transcript.raw_text)
    assert Detection.objects.filter(
        transcript=transcript, label="PHONE", text="41 22 87 56"
    ).exists()


def test_deidentified_text_needs_every_hit_reviewed(evaluation, interview, leader, transcript_text):
    upload_text(leader, evaluation, interview, transcript_text)
    transcript = interview.transcripts.get()
    response = leader.post(
        url("deid:review", evaluation, transcript.pk), {"create_text": "1"}, follow=True
    )
    assert not DeidentifiedText.objects.exists()
    assert messages_of(response)


def test_deidentified_text_hides_confirmed_hits_and_keeps_turn_offsets(deidentified):
    assert "41 22 87 56" not in deidentified.text
    assert "[TELEFON 1]" in deidentified.text
    turns = list(deidentified.turns.all())
    assert [t.speaker_code for t in turns] == ["I", "D1", "D2", "D1"]
    lines = deidentified.text.split("\n")
    for turn, line in zip(turns, lines, strict=True):
        assert line.endswith(deidentified.text[turn.start : turn.end])


def test_missed_name_is_hidden_everywhere(evaluation, interview, leader):
    upload_text(
        leader,
        evaluation,
        interview,
        "I: Hvem hjalp deg?\nD1: Det var Trulsemann. Trulsemann er god.\n",
    )
    transcript = interview.transcripts.get()
    leader.post(
        url("deid:review", evaluation, transcript.pk),
        {"add_name": "1", "text": "Trulsemann", "kind": "PERSON"},
    )
    leader.post(
        url("deid:review", evaluation, transcript.pk), {"confirm_rest": "1", "create_text": "1"}
    )
    text = transcript.deidentified_texts.get().text
    assert "Trulsemann" not in text
    assert text.count("[NAVN 1]") == 2


def test_raw_transcript_viewing_is_audited(evaluation, interview, leader, transcript_text):
    upload_text(leader, evaluation, interview, transcript_text)
    transcript = interview.transcripts.get()
    assert leader.get(url("transcripts:raw", evaluation, transcript.pk)).status_code == 200
    assert AuditEvent.objects.filter(
        action="transcript.raw.view", object_id=str(transcript.pk)
    ).exists()


def test_commissioner_never_sees_the_raw_transcript(
    evaluation, interview, leader, client_as, transcript_text
):
    upload_text(leader, evaluation, interview, transcript_text)
    transcript = interview.transcripts.get()
    commissioner = client_as("commissioner")
    assert commissioner.get(url("transcripts:raw", evaluation, transcript.pk)).status_code == 403
    assert commissioner.get(url("deid:review", evaluation, transcript.pk)).status_code == 403


# --- Coding, matrix ------------------------------------------------------------------------


def code_post(client, evaluation, text, **data):
    code = evaluation.codes.get(name="Tilgang")
    payload = {"code": code.pk, "polarity": "critical", "directness": "direct", **data}
    return client.post(url("analysis:text", evaluation, text.pk), payload, follow=True)


def test_coding_a_selection(evaluation, leader, deidentified):
    quote = "det tok lang tid før de kom første gang"
    start = deidentified.text.index(quote)
    response = code_post(
        leader, evaluation, deidentified, quote=quote, start=start, end=start + len(quote)
    )
    assert response.status_code == 200
    segment = CodedSegment.objects.get()
    assert deidentified.text[segment.start : segment.end] == quote == segment.quote


def test_coding_a_pasted_quote_without_offsets(evaluation, leader, deidentified):
    code_post(leader, evaluation, deidentified, quote="ble jeg møtt med respekt")
    assert CodedSegment.objects.get().quote == "ble jeg møtt med respekt"


@pytest.mark.parametrize(
    "data",
    [
        {"quote": "finnes ikke i teksten", "start": "", "end": ""},
        {"quote": "x", "start": 10_000_000, "end": 10_000_005},
        {"quote": "   ", "start": "", "end": ""},
    ],
)
def test_bad_segments_are_refused(evaluation, leader, deidentified, data):
    response = code_post(leader, evaluation, deidentified, **data)
    assert response.status_code == 200
    assert not CodedSegment.objects.exists()


def test_segment_past_the_end_is_refused_by_the_action(evaluation, deidentified, django_user_model):
    from bsbstudio.analysis.actions import SegmentError, code_segment

    leader = django_user_model.objects.get(username="process_leader")
    with pytest.raises(SegmentError) as error:
        code_segment(
            leader,
            deidentified,
            evaluation.codes.first(),
            5,
            len(deidentified.text) + 1,
            "neutral",
            "direct",
        )
    assert error.value.code == "out_of_range"


def test_matrix_counts_the_quote_in_its_group_and_opens_the_cell(evaluation, leader, deidentified):
    code_post(leader, evaluation, deidentified, quote="ble jeg møtt med respekt")
    response = leader.get(url("analysis:matrix", evaluation))
    assert response.status_code == 200
    assert response.context["matrix"].total == 1
    code = evaluation.codes.get(name="Tilgang")
    group = evaluation.informant_groups.get(code="B")
    cell = leader.get(url("analysis:cell", evaluation, code.pk, group.pk), HTTP_HX_REQUEST="true")
    assert "ble jeg møtt med respekt" in cell.content.decode()


# --- Process report ------------------------------------------------------------------------


def test_process_report_docx_has_main_points_and_quotes(evaluation, leader, deidentified):
    code_post(leader, evaluation, deidentified, quote="ble jeg møtt med respekt")
    leader.post(url("transcripts:approve", evaluation, deidentified.pk))  # quotes need approval
    site = evaluation.sites.get(name="Nord")
    response = leader.post(reverse("reports:create", args=[evaluation.slug, site.pk]))
    report = evaluation.reports.get()
    section = report.sections.get(theme__name="Tilgang")
    form = {
        "introduction": "Innledning.",
        f"points_{section.pk}": "Ventetiden oppleves som lang.",
        f"quotes_{section.pk}": [section.quotes.get().pk],
    }
    assert (
        leader.post(reverse("reports:edit", args=[evaluation.slug, report.pk]), form).status_code
        == 302
    )
    response = leader.get(reverse("reports:download", args=[evaluation.slug, report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "Ventetiden oppleves som lang." in text
    assert "ble jeg møtt med respekt" in text
    assert "41 22 87 56" not in text


def test_leak_guard_stops_an_export_with_an_unreviewed_identifier(evaluation, leader, deidentified):
    site = evaluation.sites.get(name="Nord")
    leader.post(reverse("reports:create", args=[evaluation.slug, site.pk]))
    report = evaluation.reports.get()
    section = report.sections.first()
    leader.post(
        reverse("reports:edit", args=[evaluation.slug, report.pk]),
        {"introduction": "", f"points_{section.pk}": "Ring 91 23 45 67 for mer."},
    )
    blocked = leader.get(reverse("reports:download", args=[evaluation.slug, report.pk]))
    assert blocked.status_code == 200
    assert "Content-Disposition" not in blocked
    assert "91 23 45 67" in blocked.content.decode()
    leader.post(
        reverse("reports:review_leaks", args=[evaluation.slug, report.pk]), {"confirm": "on"}
    )
    assert (
        leader.get(reverse("reports:download", args=[evaluation.slug, report.pk])).status_code
        == 200
    )
    assert AuditEvent.objects.filter(action="report.leak_review").exists()


def test_analysis_pages_never_show_the_raw_identifier(evaluation, leader, deidentified):
    code_post(leader, evaluation, deidentified, quote="Vi i teamet har for få folk")
    for page in (
        url("analysis:text", evaluation, deidentified.pk),
        url("analysis:matrix", evaluation),
    ):
        assert "41 22 87 56" not in leader.get(page).content.decode()
    assert CodedSegment.objects.get().text_id == deidentified.pk


def test_emergent_theme_is_added_once_and_can_be_coded(evaluation, leader, deidentified):
    page = url("analysis:text", evaluation, deidentified.pk)
    leader.post(page, {"new_code": "Humor"})
    leader.post(page, {"new_code": " humor "})
    code = evaluation.codes.get(name="Humor")
    assert code.kind == "emergent"
    leader.post(
        page,
        {
            "code": code.pk,
            "quote": "ble jeg møtt med respekt",
            "polarity": "positive",
            "directness": "direct",
        },
    )
    assert CodedSegment.objects.get().code == code


def test_emergent_theme_without_a_name_is_refused(evaluation, leader, deidentified):
    response = leader.post(
        url("analysis:text", evaluation, deidentified.pk), {"new_code": "  "}, follow=True
    )
    assert messages_of(response)
    assert not evaluation.codes.filter(kind="emergent").exists()


def test_planned_interview_opens_its_page_and_is_audited(evaluation, leader):
    response = leader.post(
        url("fieldwork:interviews", evaluation), {"code": "EI9", "kind": "individual"}
    )
    interview = evaluation.interviews.get(code="EI9")
    assert response["Location"] == url("fieldwork:interview", evaluation, interview.pk)
    assert AuditEvent.objects.filter(
        action="interview.create", object_id=str(interview.pk)
    ).exists()


def test_leak_review_itself_exports_nothing(evaluation, leader, deidentified):
    site = evaluation.sites.get(name="Nord")
    leader.post(reverse("reports:create", args=[evaluation.slug, site.pk]))
    report = evaluation.reports.get()
    section = report.sections.first()
    leader.post(
        reverse("reports:edit", args=[evaluation.slug, report.pk]),
        {"introduction": "", f"points_{section.pk}": "Ring 91 23 45 67 for mer."},
    )
    leader.post(
        reverse("reports:review_leaks", args=[evaluation.slug, report.pk]), {"confirm": "on"}
    )
    report.refresh_from_db()
    assert "91 23 45 67" in report.reviewed_identifiers
    assert not AuditEvent.objects.filter(action="report.export").exists()

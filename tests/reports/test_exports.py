"""Exports of the analysis: the matrix as XLSX, the quotes as CSV, both behind the leak guard."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.utils import timezone

from bsbstudio.accounts.models import AuditEvent, Membership, Role
from bsbstudio.analysis.actions import code_segment, locate_quote
from bsbstudio.cli.main import main
from bsbstudio.transcripts.models import DeidentifiedText

from .conftest import APPROVED_QUOTE, UNAPPROVED_QUOTE, url

PHONE = "41 22 87 56"


def _sheets(content: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book}


def test_the_matrix_workbook_has_counts_and_approved_quotes_only(evaluation, quotes, as_user):
    response = as_user("process_leader").get(url("reports:export_matrix", evaluation))
    assert response.status_code == 200
    sheets = _sheets(response.content)
    assert list(sheets) == ["Matrix", "Quotes"]
    counts = sheets["Matrix"]
    assert counts[0][:4] == ("Theme", "Brukere: Positive", "Brukere: Critical", "Brukere: Neutral")
    access = next(r for r in counts if r[0] == "Tilgang")
    assert access[1:4] == (1, 0, 0) and access[-1] == 1
    assert next(r for r in counts if r[0] == "Sum")[-1] == 1
    assert sheets["Quotes"][0] == (
        "Number",
        "Theme",
        "Informant group",
        "Site",
        "Polarity",
        "Direct or indirect",
        "Quote",
        "Transcript",
    )
    assert sheets["Quotes"][1:] == [
        (
            "1",
            "Tilgang",
            "Brukere",
            "Nord",
            "Positive",
            "Direct (own experience)",
            APPROVED_QUOTE,
            "FG1",
        )
    ]
    assert UNAPPROVED_QUOTE not in str(sheets)
    event = AuditEvent.objects.get(action="export.matrix")
    assert event.detail["quotes"] == 1


def test_the_quotes_csv_has_a_bom_semicolons_and_no_formulas(evaluation, quotes, as_user):
    evaluation.codes.filter(name="Tilgang").update(name="=HYPERLINK(1)")
    response = as_user("process_leader").get(url("reports:export_quotes", evaluation))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffNumber;Theme;Informant group;Site;")
    lines = text.splitlines()
    assert len(lines) == 2
    assert lines[1].split(";")[:4] == ["1", "'=HYPERLINK(1)", "Brukere", "Nord"]
    assert APPROVED_QUOTE in lines[1]
    assert UNAPPROVED_QUOTE not in text
    assert AuditEvent.objects.filter(action="export.quotes").count() == 1


@pytest.fixture
def leaky(evaluation, quotes, user):
    """An approved de-identified text in which the phone number was left, with a quote on it."""
    leader = user("process_leader")
    transcript = evaluation.interviews.get(code="FG1").transcripts.get()
    text = DeidentifiedText.objects.create(
        transcript=transcript,
        version=2,
        text=transcript.raw_text,
        approved_at=timezone.now(),
        approved_by=leader,
    )
    start, end = locate_quote(text.text, f"Ring meg på {PHONE}")
    code_segment(
        leader, text, evaluation.codes.get(name="Tilgang"), start, end, "neutral", "direct"
    )
    return evaluation


@pytest.mark.parametrize("name", ["reports:export_matrix", "reports:export_quotes"])
def test_an_unreviewed_phone_number_blocks_the_export_until_a_reviewer_confirms(
    leaky, as_user, name
):
    leader = as_user("process_leader")
    response = leader.get(url(name, leaky))
    assert response.status_code == 302
    assert "exports/review/" in response["Location"]
    assert not AuditEvent.objects.filter(action__in=["export.matrix", "export.quotes"]).exists()
    review = leader.get(response["Location"])
    assert PHONE in review.content.decode()
    assert AuditEvent.objects.filter(action="export.leak_view").count() == 1
    confirmed = leader.post(response["Location"], {"confirm": "on"})
    assert confirmed["Location"] == url(name, leaky)
    download = leader.get(url(name, leaky))
    assert download.status_code == 200
    assert AuditEvent.objects.filter(action="export.leak_review").count() == 1


def test_the_review_needs_the_tick(leaky, as_user):
    leader = as_user("process_leader")
    leader.post(url("reports:export_review", leaky) + "?next=reports:export_matrix", {})
    assert leader.get(url("reports:export_matrix", leaky)).status_code == 302


def test_an_unsigned_member_is_told_the_export_awaits_review(leaky, make_user, as_user):
    member = make_user("new_peer")
    Membership.objects.create(evaluation=leaky, user=member, role=Role.PEER_INTERVIEWER)
    for page in ("reports:export_matrix", "reports:export_review"):
        response = as_user("new_peer").get(url(page, leaky))
        html = response.content.decode()
        assert response.status_code == 200
        assert "The export awaits review" in html
        assert PHONE not in html
    assert not AuditEvent.objects.filter(action="export.leak_view").exists()


def test_a_phone_number_in_an_area_name_blocks_the_cross_site_workbook(
    evaluation, quotes, as_user, user
):
    from bsbstudio.reports import cross_site

    cross_site.add_area(user("process_leader"), evaluation, f"Ring {PHONE}")
    response = as_user("process_leader").get(url("reports:cross_site_xlsx", evaluation))
    assert response.status_code == 302
    assert "exports/review/" in response["Location"]


def test_the_command_line_refuses_while_findings_stand(leaky, tmp_path, capsys):
    out = tmp_path / "matrix.xlsx"
    assert main(["export", "matrix", leaky.slug, "--out", str(out)]) == 3
    assert "have not been checked" in capsys.readouterr().err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_the_command_line_writes_the_matrix_and_the_quotes(evaluation, quotes, as_user, tmp_path):
    matrix, quotes_csv = tmp_path / "matrix.xlsx", tmp_path / "quotes.csv"
    assert main(["export", "matrix", evaluation.slug, "--out", str(matrix)]) == 0
    assert main(["export", "quotes", evaluation.slug, "--out", str(quotes_csv)]) == 0
    leader = as_user("process_leader", "nb")
    assert _sheets(matrix.read_bytes()) == _sheets(
        leader.get(url("reports:export_matrix", evaluation)).content
    )
    assert quotes_csv.read_bytes() == leader.get(url("reports:export_quotes", evaluation)).content
    assert APPROVED_QUOTE in quotes_csv.read_text(encoding="utf-8-sig")
    assert AuditEvent.objects.filter(action="export.matrix", user=None).count() == 1


def test_the_matrix_page_links_to_the_exports(evaluation, as_user):
    html = as_user("process_leader").get(url("analysis:matrix", evaluation)).content.decode()
    assert url("reports:export_matrix", evaluation) in html
    assert url("reports:export_quotes", evaluation) in html
    assert url("reports:cross_site", evaluation) in html

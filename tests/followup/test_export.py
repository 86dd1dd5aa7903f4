"""The measures as XLSX: real dates, a history sheet, the leak guard, the page and the command."""

from __future__ import annotations

import datetime
import io

import openpyxl

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.cli.main import main
from bsbstudio.followup import actions

from .conftest import url


def read(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def test_download_has_one_row_per_measure_with_real_dates(evaluation, as_user, measures):
    actions.change_status(
        evaluation.memberships.get(role="process_leader").user,
        measures["started"],
        "done",
        "Innført i alle team",
        datetime.date(2026, 6, 1),
    )
    response = as_user("commissioner").get(url("followup:export", evaluation))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = read(response.content)
    assert book.sheetnames == ["Measures", "History"]
    rows = list(book["Measures"].iter_rows(values_only=True))
    assert rows[0][:7] == ("No.", "Measure", "Themes", "Site", "Owner", "Status", "Due")
    body = {row[1]: row for row in rows[1:]}
    assert set(body) == {m.text for m in measures.values()}
    overdue = body["Kortere ventetid"]
    assert overdue[2:4] == ("Tilgang", "Nord")
    assert isinstance(overdue[6], datetime.datetime) and overdue[6].date() == datetime.date(
        2026, 2, 1
    )
    assert overdue[7] == "Yes" and body["Kriseplan for alle"][7] == "No"
    assert body["Nytt venterom"][3] == "All sites"
    history = list(book["History"].iter_rows(values_only=True))
    assert history[0] == ("No.", "Measure", "From", "To", "Date", "Comment")
    change = [row for row in history if row[5] == "Innført i alle team"][0]
    assert change[1:4] == ("Faste kontaktpersoner", "Started", "Done")
    assert change[4].date() == datetime.date(2026, 6, 1)
    assert len(history) == 1 + 5
    event = AuditEvent.objects.filter(action="measure.export").get()
    assert event.detail == {"format": "xlsx", "measures": 4}


def test_leak_guard_stops_the_export(evaluation, as_user, measures, transcript_text):
    measures["dropped"].owner = "Ring 41 22 87 56"
    measures["dropped"].save()
    response = as_user("process_leader").get(url("followup:export", evaluation), follow=True)
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert "The export was stopped" in html and "Nytt venterom" in html
    assert not AuditEvent.objects.filter(action="measure.export").exists()


def test_command_writes_the_same_workbook(evaluation, measures, tmp_path, capsys):
    out = tmp_path / "tiltak.xlsx"
    assert main(["export", "measures", evaluation.slug, "--out", str(out)]) == 0
    book = read(out.read_bytes())
    assert book.sheetnames == ["Tiltak", "Historikk"]  # the default language, bokmål
    assert book["Tiltak"].max_row == 1 + 4
    assert book["Tiltak"]["B1"].value == "Tiltak" and book["Historikk"].max_row == 1 + 4
    assert "Wrote 4 measures" in capsys.readouterr().out
    event = AuditEvent.objects.filter(action="measure.export").get()
    assert event.user is None and event.evaluation == evaluation


def test_command_names_an_unknown_evaluation(db, tmp_path, capsys):
    out = tmp_path / "tiltak.xlsx"
    assert main(["export", "measures", "finnes-ikke", "--out", str(out)]) == 4
    assert "finnes-ikke" in capsys.readouterr().err
    assert not out.exists()


def test_command_stops_at_the_leak_guard(evaluation, measures, tmp_path, capsys):
    measures["done"].text = "Ring 41 22 87 56 for kriseplan"
    measures["done"].save()
    out = tmp_path / "tiltak.xlsx"
    assert main(["export", "measures", evaluation.slug, "--out", str(out)]) == 3
    assert "Ring 41 22 87 56" in capsys.readouterr().err and not out.exists()


def test_a_measure_that_looks_like_a_formula_stays_text(evaluation, as_user, measures):
    measures["dropped"].text = "=2+3 og mer\x07"
    measures["dropped"].save()
    response = as_user("process_leader").get(url("followup:export", evaluation))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = read(response.content)["Measures"]
    cells = [row[1] for row in sheet.iter_rows(min_row=2) if row[1].value.startswith("=")]
    assert [c.value for c in cells] == ["=2+3 og mer"]
    assert cells[0].data_type == "s"

"""The matrix as shown, exported: the page's columns, scope and filters in XLSX and DOCX."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import openpyxl
import pytest
from django.utils import timezone
from docx.oxml.ns import qn

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.analysis.actions import code_segment, locate_quote
from bsbstudio.cli.main import main
from bsbstudio.transcripts.models import DeidentifiedText, SpeakerTurn

from .conftest import APPROVED_QUOTE, UNAPPROVED_QUOTE, url

CRITICAL_QUOTE = "det tok lang tid før de kom første gang"
ACROSS_TURNS = "Tre måneder, liksom.\nD2: Vi i teamet har for få folk"
PHONE = "41 22 87 56"


@pytest.fixture
def coded(evaluation, quotes, user):
    """Besides ``quotes``: a critical quote in Tilgang and one across two turns in Å bli møtt."""
    leader = user("process_leader")
    text = quotes["approved"].text
    for quote, theme, polarity in (
        (CRITICAL_QUOTE, "Tilgang", "critical"),
        (ACROSS_TURNS, "Å bli møtt", "neutral"),
    ):
        start, end = locate_quote(text.text, quote)
        code_segment(leader, text, evaluation.codes.get(name=theme), start, end, polarity, "direct")
    return evaluation


def _sheets(content: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book}


def _row(rows, label):
    return next(r for r in rows if r and r[0] == label)


def _docx_table(content: bytes) -> list[list[str]]:
    document = docx.Document(io.BytesIO(content))
    return [[cell.text for cell in row.cells] for row in document.tables[0].rows]


def _docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def test_the_workbook_counts_by_polarity_per_group_with_a_legend(coded, as_user):
    response = as_user("process_leader", "nb").get(url("reports:matrix_view_xlsx", coded))
    assert response.status_code == 200
    sheets = _sheets(response.content)
    assert list(sheets) == ["Matrise", "Sitater"]
    counts = sheets["Matrise"]
    assert counts[0][0] == "Matrise: Sitater fra alle enheter"
    assert "Kolonner: Informantgruppe." in counts[1][0]
    header = _row(counts, "Tema")
    assert header[1] == "Brukere" and header[4] == "Ansatte" and header[7] == "Totalt"
    assert counts[counts.index(header) + 1][1:4] == ("Positiv", "Kritisk", "Nøytral")
    # Tilgang: one positive and one critical quote, both from Brukere (D1); approved texts only.
    assert _row(counts, "Tilgang")[1:] == (1, 1, 0, 0, 0, 0, 1, 1, 0)
    assert _row(counts, "Å bli møtt")[1:4] == (0, 0, 1)
    assert _row(counts, "Totalt")[1:4] == _row(counts, "Totalt")[-3:] == (1, 1, 1)
    assert any(r and r[0] and r[0].startswith("Slik leser du") for r in counts)
    quotes = sheets["Sitater"]
    assert _row(quotes, "Tema")[1:] == ("Brukere", "Ansatte")
    tilgang = _row(quotes, "Tilgang")
    assert f"+ «{APPROVED_QUOTE}» (FG1, D1; positiv)" in tilgang[1]
    assert f"− «{CRITICAL_QUOTE}» (FG1, D1; kritisk)" in tilgang[1]
    assert tilgang[2] is None
    # A quote across turns keeps its speakers.
    assert (
        "«D1: Tre måneder, liksom. / D2: Vi i teamet har for få folk»"
        in (_row(quotes, "Å bli møtt")[1])
    )
    assert UNAPPROVED_QUOTE not in str(sheets)
    event = AuditEvent.objects.get(action="export.matrix_view")
    assert event.detail["format"] == "xlsx" and event.detail["quotes"] == 3


def test_the_page_s_choices_carry_into_the_export(coded, as_user):
    leader = as_user("process_leader", "nb")
    page = leader.get(url("analysis:matrix", coded) + "?column=polarity&polarity=critical")
    html = page.content.decode()
    link = url("reports:matrix_view_docx", coded) + "?column=polarity&amp;polarity=critical"
    assert link in html
    response = leader.get(link.replace("&amp;", "&"))
    assert response.status_code == 200
    table = _docx_table(response.content)
    assert table[0] == ["Tema", "Positiv", "Kritisk", "Nøytral", "Totalt"]
    tilgang = next(r for r in table if r[0] == "Tilgang")
    assert tilgang[1:] == ["0", "1 (+0 −1 ○0)", "0", "1 (+0 −1 ○0)"]
    text = _docx_text(response.content)
    assert "Matrise: Sitater fra alle enheter" in text
    assert "Kolonner: Positiv / kritisk / nøytral." in text
    assert "Utvalg: kritisk." in text
    document = docx.Document(io.BytesIO(response.content))
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape
    # The header row repeats on each page of a long table.
    assert document.tables[0].rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_the_word_table_holds_the_quotes_of_one_site_when_the_page_shows_them(coded, as_user):
    north = coded.sites.get(name="Nord")
    query = f"?site={north.pk}&show=quotes"
    response = as_user("process_leader", "nb").get(url("reports:matrix_view_docx", coded) + query)
    table = _docx_table(response.content)
    assert table[0] == ["Tema", "Brukere", "Ansatte", "Totalt"]
    cell = next(r for r in table if r[0] == "Tilgang")[1]
    assert cell.startswith("2 (+1 −1 ○0)")
    assert f"+ «{APPROVED_QUOTE}» (FG1, D1; positiv)" in cell
    assert f"− «{CRITICAL_QUOTE}» (FG1, D1; kritisk)" in cell
    assert "Matrise: Sitater fra Nord" in _docx_text(response.content)
    assert UNAPPROVED_QUOTE not in str(table)


def test_a_commissioner_is_refused(coded, as_user):
    for name in ("reports:matrix_view_xlsx", "reports:matrix_view_docx"):
        response = as_user("commissioner").get(url(name, coded))
        assert response.status_code in (403, 404)
    assert not AuditEvent.objects.filter(action="export.matrix_view").exists()


@pytest.fixture
def leaky(coded, user):
    """An approved text in which a phone number was left, with a quote on it."""
    leader = user("process_leader")
    transcript = coded.interviews.get(code="FG1").transcripts.get()
    text = DeidentifiedText.objects.create(
        transcript=transcript,
        version=2,
        text=transcript.raw_text,
        approved_at=timezone.now(),
        approved_by=leader,
    )
    line_start = text.text.index("D2:")
    SpeakerTurn.objects.create(
        deidentified_text=text,
        order=0,
        speaker_code="D2",
        role=SpeakerTurn.Role.PARTICIPANT,
        participation=transcript.interview.participations.get(speaker_code="D2"),
        start=line_start,
        end=text.text.index("\n", line_start),
    )
    start, end = locate_quote(text.text, f"Ring meg på {PHONE}")
    code_segment(leader, text, coded.codes.get(name="Tilgang"), start, end, "neutral", "direct")
    return coded


def test_the_leak_guard_sends_a_reviewer_to_the_findings_and_back(leaky, as_user):
    leader = as_user("process_leader")
    response = leader.get(url("reports:matrix_view_xlsx", leaky) + "?column=site")
    assert response.status_code == 302
    assert "exports/review/" in response["Location"]
    assert PHONE in leader.get(response["Location"]).content.decode()
    confirmed = leader.post(response["Location"], {"confirm": "on"})
    assert confirmed["Location"] == url("analysis:matrix", leaky)
    assert leader.get(url("reports:matrix_view_xlsx", leaky)).status_code == 200
    assert AuditEvent.objects.filter(action="export.matrix_view").count() == 1


def test_the_command_line_writes_the_chosen_columns_and_filters(coded, tmp_path):
    out = tmp_path / "matrise.xlsx"
    args = ["export", "matrix", coded.slug, "--out", str(out), "--columns", "site"]
    assert main([*args, "--polarity", "critical", "--site", "nord"]) == 0
    counts = _sheets(out.read_bytes())["Matrise"]
    assert counts[0][0] == "Matrise: Sitater fra Nord"
    assert "Utvalg: kritisk." in counts[1][0]
    header = _row(counts, "Tema")
    assert header[1] == "Nord" and "Sør" not in header
    assert _row(counts, "Tilgang")[1:4] == (0, 1, 0)
    docx_out = tmp_path / "matrise.docx"
    assert main(["export", "matrix", coded.slug, "--out", str(docx_out), "--quotes"]) == 0
    assert f"«{CRITICAL_QUOTE}»" in str(_docx_table(docx_out.read_bytes()))
    assert AuditEvent.objects.filter(action="export.matrix_view", user=None).count() == 2


def test_the_command_line_scopes_to_one_interview(coded, tmp_path):
    out = tmp_path / "fg1.docx"
    assert main(["export", "matrix", coded.slug, "--out", str(out), "--interview", "FG1"]) == 0
    assert "Matrise: Sitater fra transkript FG1" in _docx_text(out.read_bytes())


def test_the_command_line_without_new_options_writes_today_s_workbook(coded, tmp_path):
    out = tmp_path / "matrix.xlsx"
    assert main(["export", "matrix", coded.slug, "--out", str(out)]) == 0
    assert list(_sheets(out.read_bytes())) == ["Matrise", "Sitater"]
    assert AuditEvent.objects.filter(action="export.matrix").count() == 1
    assert not AuditEvent.objects.filter(action="export.matrix_view").exists()


def test_the_command_line_refuses_while_findings_stand_and_writes_nothing(leaky, tmp_path, capsys):
    out = tmp_path / "matrise.docx"
    assert main(["export", "matrix", leaky.slug, "--out", str(out), "--quotes"]) == 3
    assert "have not been checked" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--site", "Vest"], "There is no site called Vest. The sites are: Nord, Sør."),
        (["--interview", "FG9"], "There is no interview called FG9."),
        (["--group", "Naboer"], "There is no informant group called Naboer."),
    ],
)
def test_an_unknown_name_is_a_message_and_exit_2(coded, tmp_path, capsys, options, message):
    out = tmp_path / "matrise.xlsx"
    assert main(["export", "matrix", coded.slug, "--out", str(out), *options]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "options", [["--columns", "service"], ["--polarity", "angry"], ["--out-format", "x"]]
)
def test_a_bad_option_is_a_message_and_exit_2(coded, tmp_path, capsys, options):
    out = tmp_path / "matrise.xlsx"
    with pytest.raises(SystemExit) as stopped:
        main(["export", "matrix", coded.slug, "--out", str(out), *options])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "error" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_file_name_of_another_kind_is_a_message_and_exit_2(coded, tmp_path, capsys):
    out = tmp_path / "matrise.csv"
    assert main(["export", "matrix", coded.slug, "--out", str(out), "--columns", "site"]) == 2
    assert ".xlsx or .docx" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_the_printed_page_says_what_it_shows_and_lets_rows_of_quotes_run_over_pages(coded, as_user):
    users = coded.informant_groups.get(name="Brukere")
    query = f"?group={users.pk}&polarity=critical&show=quotes"
    html = as_user("process_leader", "nb").get(url("analysis:matrix", coded) + query)
    assert (
        '<p class="print-only">Kolonner: Informantgruppe. Utvalg: informantgruppen Brukere, '
        "kritisk.</p>"
    ) in html.content.decode()
    css = (
        Path(__file__).parents[2] / "src/bsbstudio/analysis/static/analysis/matrix.css"
    ).read_text()
    printed = css[css.index("@media print") :]
    assert "size: A4 landscape" in printed and ".print-only { display: block; }" in printed
    # A row of quotes is allowed to break, after the rule that keeps a row of counts whole.
    assert printed.index(".matrix.matrix-quotes tr { break-inside: auto; }") > printed.index(
        ".matrix.matrix-workbench tr { break-inside: avoid; }"
    )


def _not_ask_staff_about_respect(evaluation):
    """The guide's cell "Å bli møtt" x Ansatte left empty, as real guides leave cells."""
    from bsbstudio.guide.models import GuideQuestion

    GuideQuestion.objects.filter(theme__name="Å bli møtt", group__code="A").update(text="")


def test_a_cell_the_guide_never_asked_says_so_on_the_page_and_in_both_files(coded, as_user):
    _not_ask_staff_about_respect(coded)
    client = as_user("process_leader", "nb")
    page = client.get(url("analysis:matrix", coded)).content.decode()
    row = page.split("Å bli møtt</th>", 1)[1].split("</tr>", 1)[0]
    cells = row.split("<td")[1:3]  # Brukere, Ansatte
    assert "ikke spurt" not in cells[0] and "not-asked-cell" in cells[1]
    assert '<span class="not-asked">ikke spurt</span>' in cells[1]
    assert "«Ikke spurt»: temaguiden har ikke noe spørsmål" in page
    # Tilgang was asked of staff and nobody said anything coded there: a plain 0, no mark.
    tilgang = page.split("Tilgang</th>", 1)[1].split("</tr>", 1)[0]
    assert tilgang.count("ikke spurt") == 0
    assert '>0<span class="visually-hidden"> Ansatte</span></a>' in tilgang.split("<td")[2]

    book = openpyxl.load_workbook(
        io.BytesIO(client.get(url("reports:matrix_view_xlsx", coded)).content)
    )
    counts = book["Matrise"]
    respect = next(r for r in counts.iter_rows() if r[0].value == "Å bli møtt")
    assert [c.value for c in respect[4:7]] == [0, 0, 0]  # numbers stay numbers
    assert respect[4].comment.text == "ikke spurt" and respect[4].font.italic
    assert respect[1].comment is None and not respect[1].font.italic
    assert any(r[0].value and "«Ikke spurt»" in r[0].value for r in counts.iter_rows())
    assert (
        _row(
            _sheets(client.get(url("reports:matrix_view_xlsx", coded)).content)["Sitater"],
            "Å bli møtt",
        )[2]
        == "ikke spurt"
    )

    table = _docx_table(client.get(url("reports:matrix_view_docx", coded)).content)
    respect_row = next(r for r in table if r[0] == "Å bli møtt")
    assert respect_row[2] == "ikke spurt" and respect_row[1] != "ikke spurt"
    assert next(r for r in table if r[0] == "Tilgang")[2] == "0"


def test_by_site_there_is_no_not_asked_mark(coded, as_user):
    _not_ask_staff_about_respect(coded)
    page = as_user("process_leader", "nb").get(url("analysis:matrix", coded) + "?column=site")
    assert "ikke spurt" not in page.content.decode().split("<table", 1)[1]


# -- "nothing said": the team's mark on an empty cell that was asked ---------------------------


def _mark_url(evaluation, theme, group_code):
    from django.urls import reverse

    code = evaluation.codes.get(name=theme)
    group = evaluation.informant_groups.get(code=group_code)
    return reverse("analysis:nothing_said", args=[evaluation.slug, code.pk, group.pk])


def test_the_team_marks_an_empty_cell_nothing_said_and_every_output_says_so(coded, as_user):
    from bsbstudio.analysis.models import NothingSaid

    client = as_user("process_leader", "nb")
    staff = coded.informant_groups.get(code="A")
    access = coded.codes.get(name="Tilgang")
    # The empty cell opens, and offers the mark with what was gone through.
    panel = client.get(f"/e/{coded.slug}/analysis/matrix/{access.pk}/{staff.pk}/").content.decode()
    assert "Merk: ingenting sagt" in panel and 'name="note"' in panel and "<h1>" in panel
    response = client.post(
        _mark_url(coded, "Tilgang", "A"), {"note": "Alle fire ansatte-intervjuene lest."}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#code-{access.pk}")
    mark = NothingSaid.objects.get()
    assert (mark.code, mark.group, mark.note) == (
        access,
        staff,
        "Alle fire ansatte-intervjuene lest.",
    )
    assert AuditEvent.objects.filter(action="analysis.nothing_said").count() == 1

    page = client.get(url("analysis:matrix", coded)).content.decode()
    tilgang = page.split("Tilgang</th>", 1)[1].split("</tr>", 1)[0].split("<td")[2]
    assert "nothing-said-cell" in tilgang and ">ingenting sagt<" in tilgang
    assert "«Ingenting sagt»: teamet har gått gjennom intervjuene" in page
    panel = client.get(f"/e/{coded.slug}/analysis/matrix/{access.pk}/{staff.pk}/").content.decode()
    assert "Alle fire ansatte-intervjuene lest." in panel and "Ta bort merket" in panel

    sheets = _sheets(client.get(url("reports:matrix_view_xlsx", coded)).content)
    assert _row(sheets["Sitater"], "Tilgang")[2] == "ingenting sagt"
    assert _row(sheets["Matrise"], "Tilgang")[4:7] == (0, 0, 0)
    # The note is the team's own: it stays on the page and never leaves in a file.
    assert "Alle fire" not in str(sheets)
    table = _docx_table(client.get(url("reports:matrix_view_docx", coded)).content)
    assert next(r for r in table if r[0] == "Tilgang")[2] == "ingenting sagt"
    # By site, or with a filter, the matrix is not the whole evaluation: no mark there.
    by_site = client.get(url("analysis:matrix", coded) + "?column=site").content.decode()
    assert "ingenting sagt" not in by_site.split("<table", 1)[1]
    # Folded rows hold their sub-themes too, while a mark is on one theme's cell: none there,
    # on the page as in the file.
    folded = client.get(url("analysis:matrix", coded) + "?fold=1").content.decode()
    assert "ingenting sagt" not in folded.split("<table", 1)[1]
    folded_file = client.get(url("reports:matrix_view_xlsx", coded) + "?fold=1").content
    assert _row(_sheets(folded_file)["Sitater"], "Tilgang")[2] != "ingenting sagt"

    client.post(_mark_url(coded, "Tilgang", "A"), {"remove": "1"})
    assert not NothingSaid.objects.exists()
    assert AuditEvent.objects.filter(action="analysis.nothing_said_removed").count() == 1
    table = client.get(url("analysis:matrix", coded)).content.decode().split("<table", 1)[1]
    assert "ingenting sagt" not in table


def test_a_mark_is_refused_where_something_was_said_or_nobody_asked(coded, as_user):
    from bsbstudio.analysis.models import NothingSaid

    _not_ask_staff_about_respect(coded)
    client = as_user("process_leader", "nb")
    said = client.post(_mark_url(coded, "Tilgang", "B"), {"note": ""}, follow=True)
    assert "Brukere har sitater kodet på Tilgang, så noe ble sagt." in said.content.decode()
    unasked = client.post(_mark_url(coded, "Å bli møtt", "A"), follow=True)
    assert "Temaguiden spurte ikke Ansatte om Å bli møtt." in unasked.content.decode()
    too_long = client.post(_mark_url(coded, "Tilgang", "A"), {"note": "x" * 2001}, follow=True)
    assert "høyst 2000 tegn" in too_long.content.decode()
    # A NUL byte (PostgreSQL cannot store it) is refused with a message, never a server error.
    nul = client.post(_mark_url(coded, "Tilgang", "A"), {"note": "lest\x00"}, follow=True)
    assert nul.status_code == 200 and "message-error" in nul.content.decode()
    assert not NothingSaid.objects.exists()
    # A group of another evaluation, or a GET, changes nothing either.
    assert client.get(_mark_url(coded, "Tilgang", "A")).status_code == 405
    bad = _mark_url(coded, "Tilgang", "A").replace("/nothing-said/", "/").rsplit("/", 2)[0]
    assert client.post(f"{bad}/999999/nothing-said/").status_code == 404
    assert not NothingSaid.objects.exists()


@pytest.mark.parametrize("role", ["commissioner", "transcriber"])
def test_only_the_coding_team_may_mark(coded, as_user, role):
    from bsbstudio.analysis.models import NothingSaid

    response = as_user(role, "nb").post(_mark_url(coded, "Tilgang", "A"))
    assert response.status_code in (403, 302) and not NothingSaid.objects.exists()


def test_the_whole_evaluation_workbook_names_the_empty_cells_in_words(coded, user, tmp_path):
    from bsbstudio.analysis.silence import mark_nothing_said

    _not_ask_staff_about_respect(coded)
    staff = coded.informant_groups.get(code="A")
    mark_nothing_said(user("process_leader"), coded.codes.get(name="Tilgang"), staff)
    out = tmp_path / "matrix.xlsx"
    assert main(["export", "matrix", coded.slug, "--out", str(out)]) == 0
    words = " ".join(str(v) for rows in _sheets(out.read_bytes()).values() for r in rows for v in r)
    assert "Ikke spurt i temaguiden: Å bli møtt – Ansatte." in words
    assert "Ingenting sagt (teamet har gått gjennom intervjuene): Tilgang – Ansatte." in words

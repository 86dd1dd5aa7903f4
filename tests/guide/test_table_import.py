"""The guide table reader (no Django): DOCX, XLSX, CSV and pasted text, and every bad input."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from docx.shared import Mm
from openpyxl import Workbook

from bsbstudio.guide.engine import GuideCell, GuideRow, PrintableGuide, render_docx
from bsbstudio.guide.engine import table_import as ti
from bsbstudio.guide.engine.table_export import render_csv, render_xlsx


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def guide_docx() -> bytes:
    """A guide as people write them: a title, a first unrelated table, then the guide table.

    The guide has a shared column ("Brukere og pårørende"), an empty cell, a theme cell merged
    over two rows, a numbered sub-theme, an indented sub-theme and bulleted follow-up questions.
    """
    document = Document()
    document.add_heading("Temaguide for Ambulant team", level=1)
    info = document.add_table(rows=1, cols=1)
    info.cell(0, 0).text = "Utkast, ikke del"
    table = document.add_table(rows=7, cols=3)
    rows = [
        ["Tema", "Brukere og pårørende", "Ansatte"],
        ["1. Tilgang\nHvordan man kommer i kontakt", "Hvordan fikk du kontakt med teamet?", ""],
        ["", "", "Hvordan henvises folk til dere?"],
        ["1.1 Ventetid", "Hvor lenge ventet du?", "Hvor lang er ventelisten?"],
        ["Samarbeid", "Hvem samarbeider teamet med?", "Hvem ringer dere oftest?"],
        ["Tryggheten", "Følte du deg trygg?", ""],
        ["Avslutning", "Noe mer du vil si?", "Noe mer dere vil si?"],
    ]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            lines = value.split("\n")
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    # "Tilgang" spans rows 1 and 2: the second row adds the staff question to the same theme.
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(1, 0).paragraphs[0].text = "1. Tilgang"
    # An indented theme is a sub-theme of the theme above.
    table.cell(5, 0).paragraphs[0].paragraph_format.left_indent = Mm(6)
    # Bulleted follow-up questions under a question.
    table.cell(4, 1).add_paragraph("Fastlegen?", style="List Bullet")
    table.cell(4, 1).add_paragraph("NAV?", style="List Bullet")
    return docx_bytes(document)


def test_docx_table_with_empty_cell_shared_column_and_sub_themes():
    guide = ti.read_file(guide_docx(), "guide.docx")
    assert guide.source == "docx"
    assert [g.name for g in guide.groups] == ["Brukere og pårørende", "Ansatte"]
    assert guide.groups[0].parts == ("Brukere", "Pårørende") and not guide.groups[1].is_shared
    names = [(t.name, t.depth) for t in guide.themes]
    assert names == [
        ("Tilgang", 0),
        ("Ventetid", 1),
        ("Samarbeid", 0),
        ("Tryggheten", 1),
        ("Avslutning", 0),
    ]
    access = guide.themes[0]
    assert access.cells[0].question == "Hvordan fikk du kontakt med teamet?"
    assert access.cells[1].question == "Hvordan henvises folk til dere?"
    cooperation = guide.themes[2]
    assert cooperation.cells[0].subquestions == ("Fastlegen?", "NAV?")
    assert guide.themes[3].cells[1].is_empty


def test_docx_cell_merged_across_two_group_columns_is_each_groups_question():
    document = Document()
    table = document.add_table(rows=2, cols=3)
    for c, name in enumerate(["Tema", "Brukere", "Pårørende"]):
        table.cell(0, c).text = name
    table.cell(1, 0).text = "Hverdagen"
    merged = table.cell(1, 1).merge(table.cell(1, 2))
    merged.text = "Hvordan er en vanlig dag?"
    guide = ti.read_file(docx_bytes(document), "g.docx")
    assert [cell.question for cell in guide.themes[0].cells] == ["Hvordan er en vanlig dag?"] * 2


def test_docx_header_merged_over_two_columns_is_one_group():
    document = Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "Tema"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Brukere"
    table.cell(1, 0).text = "Bolig"
    table.cell(1, 1).text = "Hvor bor du?"
    table.cell(1, 2).text = "Hvem bor du med?"
    guide = ti.read_file(docx_bytes(document), "g.docx")
    assert [g.name for g in guide.groups] == ["Brukere"]
    assert guide.themes[0].cells[0] == ti.ImportedCell("Hvor bor du?", ("Hvem bor du med?",))


def test_xlsx_with_merged_theme_cell_and_indented_sub_theme():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Temaguide 2026"])
    sheet.append(["Tema", "Brukere/pårørende", "Ansatte"])
    sheet.append(["Tilgang", "Hvordan kom du inn?", None])
    sheet.append([None, None, "Hvordan tar dere imot?"])
    sheet.append(["2.1 Ventetid", "Hvor lenge?\n- Var det greit?", "Hvor lang kø?"])
    sheet.merge_cells("A3:A4")
    buffer = io.BytesIO()
    workbook.save(buffer)
    guide = ti.read_file(buffer.getvalue(), "guide.xlsx")
    assert guide.source == "xlsx"
    assert guide.groups[0].parts == ("Brukere", "Pårørende")
    assert [(t.name, t.depth) for t in guide.themes] == [("Tilgang", 0), ("Ventetid", 1)]
    assert guide.themes[0].cells[1].question == "Hvordan tar dere imot?"
    assert guide.themes[1].cells[0] == ti.ImportedCell("Hvor lenge?", ("Var det greit?",))


def test_csv_in_windows_1252_with_semicolons():
    text = (
        'Tema;Brukere og pårørende;Ansatte\r\n"Å bli møtt";"Hvordan ble du møtt?";\r\n'
        'Økonomi;;"Hva koster det; for brukeren?"\r\n'
    )
    guide = ti.read_file(text.encode("cp1252"), "guide.csv")
    assert guide.source == "csv"
    assert [t.name for t in guide.themes] == ["Å bli møtt", "Økonomi"]
    assert guide.themes[0].cells[1].is_empty
    assert guide.themes[1].cells[1].question == "Hva koster det; for brukeren?"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_csv_in_utf8_with_and_without_bom_and_utf16(encoding):
    text = "Tema,Pårørende\nMøtet,Hvordan var møtet?\n"
    guide = ti.read_file(text.encode(encoding), "g.csv")
    assert guide.groups[0].name == "Pårørende" and guide.themes[0].name == "Møtet"


def test_pasted_tab_text_as_copied_from_excel():
    text = 'Tema\tBrukere\tAnsatte\nTilgang\t"Hvordan kom du inn?\n- Hvor lenge?"\t\nBolig\t\tHva gjør dere?'
    guide = ti.read_text(text)
    assert guide.source == "tabs"
    assert guide.themes[0].cells[0] == ti.ImportedCell("Hvordan kom du inn?", ("Hvor lenge?",))
    assert guide.themes[0].cells[1].is_empty and guide.themes[1].cells[0].is_empty


def test_pasted_outline():
    text = """Tilgang til tjenesten:
- Brukere: Hvordan kom du i kontakt med teamet?
  - Hvor lang tid tok det?
- Ansatte: Hvordan får nye brukere vite om tilbudet?
2.1 Ventetid
- Brukere og pårørende: Hvordan var ventetiden?
Avslutning
- Er det noe mer?
"""
    guide = ti.read_text(text)
    assert guide.source == "outline"
    assert [g.name for g in guide.groups] == ["Brukere", "Ansatte", "Brukere og pårørende", ""]
    assert [(t.name, t.depth) for t in guide.themes] == [
        ("Tilgang til tjenesten", 0),
        ("Ventetid", 1),
        ("Avslutning", 0),
    ]
    first = guide.themes[0]
    assert first.cells[0] == ti.ImportedCell(
        "Hvordan kom du i kontakt med teamet?", ("Hvor lang tid tok det?",)
    )
    assert first.cells[2].is_empty
    assert guide.themes[2].cells[3].question == "Er det noe mer?"


def test_preview_data_round_trip_and_tampered_data():
    guide = ti.read_file(guide_docx(), "guide.docx")
    assert ti.from_data(guide.to_data()) == guide
    data = guide.to_data()
    data["themes"][0]["cells"].pop()
    with pytest.raises(ti.TableImportError) as error:
        ti.from_data(data)
    assert error.value.code == "stale_preview"


def printable() -> PrintableGuide:
    return PrintableGuide(
        title="Ambulant team",
        subtitle="utkast",
        groups=("Brukere", "Ansatte"),
        theme_heading="Tema",
        rows=(
            GuideRow(
                "Tilgang", (GuideCell("Hvordan?", ("Hvor lenge?",)), GuideCell()), "Om tilgang"
            ),
            GuideRow("Ventetid", (GuideCell(), GuideCell("Hvor lang kø?")), depth=1),
            GuideRow("= formel", (GuideCell("", ("Bare oppfølging",)), GuideCell("-1 poeng?"))),
        ),
    )


@pytest.mark.parametrize(
    ("render", "name"), [(render_docx, "g.docx"), (render_xlsx, "g.xlsx"), (render_csv, "g.csv")]
)
def test_export_then_import_gives_the_same_guide(render, name):
    source = printable()
    guide = ti.read_file(render(source), name)
    assert [g.name for g in guide.groups] == ["Brukere", "Ansatte"]
    assert [(t.name, t.depth, t.description) for t in guide.themes] == [
        ("Tilgang", 0, "Om tilgang"),
        ("Ventetid", 1, ""),
        ("= formel", 0, ""),
    ]
    cells = [[(c.question, c.subquestions) for c in t.cells] for t in guide.themes]
    expected = [[(c.question, c.subquestions) for c in row.cells] for row in source.rows]
    # A cell with follow-up questions but no question comes back with the first as its question.
    expected[2][0] = ("Bare oppfølging", ())
    assert cells == expected


def test_csv_export_is_excel_friendly():
    content = render_csv(printable())
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Tema;Brukere;Ansatte"
    assert "'= formel" not in text and "1. Tilgang" in text and "1.1 Ventetid" in text
    assert "'-1 poeng?" in text  # a cell that looks like a formula is kept as text


# --- Bad input: a clear message, nothing else ---------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in members.items():
            package.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"", "tom.docx", "empty_file"),
        (b"PK\x03\x04 not really a zip", "guide.docx", "broken"),
        (_zip({"word/document.xml": b"<not xml"}), "guide.docx", "broken"),
        (_zip({"mimetype": b"application/epub+zip"}), "bok.docx", "not_a_table_file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "gammel.doc", "old_format"),
        (b"%PDF-1.7\n...", "guide.docx", "pdf"),
        (b"\x00\x01\x02\x03binary\x00", "guide.csv", "encoding"),
        (b"\x81\x8d\x8f\x90\x9d", "guide.csv", "encoding"),
        ("Bare én kolonne\nuten grupper\n".encode(), "guide.csv", "outline_empty"),
        (b"x" * (ti.MAX_BYTES + 1), "stor.csv", "too_big"),
    ],
)
def test_bad_files_give_a_clear_message(content, name, code):
    with pytest.raises(ti.TableImportError) as error:
        ti.read_file(content, name)
    assert error.value.code == code
    assert error.value.message and "Traceback" not in error.value.message


def test_docx_without_a_guide_table():
    document = Document()
    document.add_paragraph("Bare tekst, ingen tabell.")
    one_column = document.add_table(rows=3, cols=1)
    one_column.cell(0, 0).text = "Tema"
    with pytest.raises(ti.TableImportError) as error:
        ti.read_file(docx_bytes(document), "notat.docx")
    assert error.value.code == "no_table" and "notat.docx" in error.value.message


def test_too_many_rows_is_refused():
    text = "Tema;Brukere\n" + "".join(f"Tema {n};Spørsmål {n}?\n" for n in range(ti.MAX_ROWS + 5))
    with pytest.raises(ti.TableImportError) as error:
        ti.read_file(text.encode(), "lang.csv")
    assert error.value.code == "too_many_rows"
    outline = "".join(f"Tema {n}\n- Brukere: Hva?\n" for n in range(ti.MAX_ROWS + 5))
    with pytest.raises(ti.TableImportError) as error:
        ti.read_text(outline)
    assert error.value.code == "too_many_rows"


def test_many_themes_but_few_rows_is_refused_with_the_count():
    text = "Tema;Brukere\n" + "".join(f"Tema {n};Hva?\n" for n in range(ti.MAX_THEMES + 1))
    with pytest.raises(ti.TableImportError) as error:
        ti.read_file(text.encode(), "g.csv")
    assert error.value.code == "too_many_themes" and error.value.params["count"] == 201


def test_outline_question_before_any_theme_names_the_line():
    with pytest.raises(ti.TableImportError) as error:
        ti.read_text("\n- Brukere: Hva?\nTema")
    assert error.value.code == "outline_no_theme" and error.value.params["line"] == 2


def test_empty_text_and_null_characters():
    with pytest.raises(ti.TableImportError):
        ti.read_text("   \n ")
    guide = ti.read_text("Tema\tBrukere\nTil\x00gang\tHva?")
    assert guide.themes[0].name == "Tilgang"


def test_outline_with_theme_labels_and_numbered_follow_ups():
    text = (
        "Tema: Bolig\n- Brukere: Hvor bor du?\n  1) Hvor lenge?\n  2) Med hvem?\n"
        "Undertema: Naboer\n- Brukere: Kjenner du naboene?\n"
    )
    guide = ti.read_text(text)
    assert [(t.name, t.depth) for t in guide.themes] == [("Bolig", 0), ("Naboer", 1)]
    assert guide.themes[0].cells[0].subquestions == ("Hvor lenge?", "Med hvem?")


def test_one_group_with_a_blank_corner_and_an_indented_csv_theme():
    guide = ti.read_file(b";Brukere\nBolig;Hvor bor du?\n  Naboer;Kjenner du dem?\n", "g.csv")
    assert [g.name for g in guide.groups] == ["Brukere"]
    assert [(t.name, t.depth) for t in guide.themes] == [("Bolig", 0), ("Naboer", 1)]


def test_a_question_that_looks_like_a_formula_stays_text_in_xlsx():
    source = PrintableGuide(
        title="T", subtitle="", groups=("Brukere",), rows=(GuideRow("X", (GuideCell("=1+1"),)),)
    )
    content = render_xlsx(source)
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        sheet = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<t>=1+1</t>" in sheet
    assert ti.read_file(content, "g.xlsx").themes[0].cells[0].question == "=1+1"

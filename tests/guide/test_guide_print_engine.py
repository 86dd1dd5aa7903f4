"""The printed theme guide: model, pagination, DOCX and PDF renderers, tested without Django."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from bsbstudio.guide.engine import (
    GuideCell,
    GuideRow,
    PrintableGuide,
    from_snapshot,
    render_docx,
    render_pdf,
    split_subquestions,
)
from bsbstudio.guide.engine.pages import paginate

SNAPSHOT = {
    "groups": [
        {"code": "B", "name": "Brukere"},
        {"code": "P", "name": "Pårørende"},
        {"code": "A", "name": "Ansatte"},
    ],
    "themes": [
        {
            "id": 10,
            "name": "Tilgang og ventetid",
            "description": "Hvor lett det er å nå teamet.",
            "parent": None,
            "questions": [
                {
                    "group": "A",
                    "text": "Hvordan kommer folk inn til dere?",
                    "subquestions": "",
                },
                {
                    "group": "B",
                    "text": "Hvordan fikk du kontakt med teamet?",
                    "subquestions": "- Hvor lenge ventet du?\n\n• Hvem tok “første” kontakt…",
                },
            ],
        },
        {"id": 11, "name": "Ansvarsgruppe", "description": "", "parent": 10, "questions": []},
    ],
}


def guide(snapshot=SNAPSHOT, **labels):
    return from_snapshot(
        snapshot, title="Evaluering av Vardeteamet", subtitle="Versjon 2", **labels
    )


def long_snapshot(words: int) -> dict:
    text = " ".join(["Hvordan opplevde du møtet med teamet – særlig den første tiden?"] * words)
    return {
        "groups": [{"code": "B", "name": "Brukere"}],
        "themes": [
            {
                "id": 1,
                "name": "Å bli møtt",
                "description": "",
                "parent": None,
                "questions": [{"group": "B", "text": text, "subquestions": text}],
            }
        ],
    }


# --- The printable model ------------------------------------------------------------------------


def test_cells_follow_the_group_columns_and_missing_questions_are_empty():
    printable = guide()
    assert printable.groups == ("Brukere", "Pårørende", "Ansatte")
    first = printable.rows[0]
    assert first.cells[0].question == "Hvordan fikk du kontakt med teamet?"
    assert first.cells[1].is_empty
    assert first.cells[2].question == "Hvordan kommer folk inn til dere?"
    assert first.key == 10


def test_sub_themes_are_one_level_deeper():
    assert [row.depth for row in guide().rows] == [0, 1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ()),
        ("Hvorfor?", ("Hvorfor?",)),
        ("- Hvor lenge?\n• Hvem?\n\n  * Når?  ", ("Hvor lenge?", "Hvem?", "Når?")),
        ("1. Først\n2) Så", ("Først", "Så")),
        ("-5 grader ute?", ("-5 grader ute?",)),  # a minus sign is not a bullet
    ],
)
def test_split_subquestions(text, expected):
    assert split_subquestions(text) == expected


def test_a_row_must_have_a_cell_per_group():
    with pytest.raises(ValueError, match="cells"):
        PrintableGuide("T", "", ("B", "A"), (GuideRow("Tema", (GuideCell("?"),)),))


# --- Pagination ---------------------------------------------------------------------------------


def placed_lines(slices):
    return [(part.row, line) for part in slices for line in range(part.start, part.end)]


@pytest.mark.parametrize("counts", [[1, 2, 3], [40, 1, 95, 2], [0, 200], [10] * 30])
def test_every_line_is_placed_once_in_order(counts):
    slices = paginate(counts, first_page=50, next_pages=80, line_height=4, padding=1)
    expected = [(row, line) for row, count in enumerate(counts) for line in range(max(count, 1))]
    assert placed_lines(slices) == expected
    pages = [part.page for part in slices]
    assert pages == sorted(pages)


def test_a_row_that_fits_a_page_is_not_cut():
    slices = paginate([10, 15], first_page=100, next_pages=100, line_height=4, padding=1)
    assert [(s.page, s.row, s.start, s.end) for s in slices] == [(0, 0, 0, 10), (1, 1, 0, 15)]


def test_a_row_taller_than_a_page_goes_on_over_the_next_pages():
    slices = paginate([60], first_page=100, next_pages=100, line_height=4, padding=1)
    assert [(s.page, s.start, s.end) for s in slices] == [(0, 0, 24), (1, 24, 48), (2, 48, 60)]
    assert [s.continues for s in slices] == [False, True, True]


def test_a_page_that_cannot_hold_a_line_is_refused():
    with pytest.raises(ValueError):
        paginate([1], first_page=3, next_pages=3, line_height=4, padding=1)


# --- DOCX ---------------------------------------------------------------------------------------


def open_docx(printable):
    return docx.Document(io.BytesIO(render_docx(printable)))


def test_docx_is_landscape_with_a_row_per_theme_and_a_column_per_group():
    document = open_docx(guide())
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    (table,) = document.tables
    assert len(table.rows) == 1 + 2
    assert len(table.columns) == 1 + 3
    assert [cell.text for cell in table.rows[0].cells] == [
        "Theme",
        "Brukere",
        "Pårørende",
        "Ansatte",
    ]


def test_docx_question_is_bold_and_follow_up_questions_are_bullets():
    cell = open_docx(guide()).tables[0].rows[1].cells[1]
    question, *subs = cell.paragraphs
    assert question.text == "Hvordan fikk du kontakt med teamet?"
    assert all(run.bold for run in question.runs)
    assert [p.text for p in subs] == ["Hvor lenge ventet du?", "Hvem tok “første” kontakt…"]
    assert {p.style.name for p in subs} == {"List Bullet"}


def test_docx_names_evaluation_and_version_and_repeats_the_header_row():
    document = open_docx(guide())
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Evaluering av Vardeteamet" in text and "Versjon 2" in text
    assert "Versjon 2" in document.sections[0].header.paragraphs[0].text
    header_row = document.tables[0].rows[0]._tr
    assert header_row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    # Rows may break across pages, so a long row never loses text.
    assert not document.tables[0]._tbl.findall(f".//{qn('w:cantSplit')}")


def test_docx_keeps_long_text_whole_and_survives_control_characters():
    snapshot = long_snapshot(300)
    snapshot["themes"][0]["name"] = "Å bli møtt\x07\x0b"
    document = open_docx(guide(snapshot))
    cell = document.tables[0].rows[1].cells[1]
    assert cell.paragraphs[0].text == snapshot["themes"][0]["questions"][0]["text"]
    assert document.tables[0].rows[1].cells[0].text.startswith("Å bli møtt")


def test_docx_uses_the_labels_given():
    document = open_docx(guide(theme_heading="Tema", language="nb-NO"))
    assert document.tables[0].rows[0].cells[0].text == "Tema"
    assert document.core_properties.language == "nb-NO"


# --- PDF ----------------------------------------------------------------------------------------


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", pdf))


def test_pdf_is_a_landscape_a4_pdf_with_the_font_embedded():
    pdf = render_pdf(guide())
    assert pdf.startswith(b"%PDF")
    width, height = map(float, re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf).groups())
    assert width > height
    assert (round(width), round(height)) == (842, 595)
    assert b"DejaVuSans" in pdf  # the Unicode font is embedded, so æøå and “…” print
    assert page_count(pdf) == 1


def test_pdf_long_text_makes_more_pages():
    short, long = render_pdf(guide(long_snapshot(5))), render_pdf(guide(long_snapshot(400)))
    assert page_count(short) == 1
    assert page_count(long) >= 3


def test_pdf_draws_a_row_taller_than_a_page_without_error():
    # fpdf2's own table refuses such a row; the guide's renderer cuts it between lines.
    pdf = render_pdf(guide(long_snapshot(1200)))
    assert page_count(pdf) > 5


@pytest.mark.parametrize("groups", [0, 1, 6])
def test_pdf_copes_with_few_or_many_groups(groups):
    snapshot = {
        "groups": [{"code": f"G{i}", "name": f"Gruppe {i}"} for i in range(groups)],
        "themes": [
            {
                "id": 1,
                "name": "Tema",
                "description": "",
                "parent": None,
                "questions": [
                    {"group": f"G{i}", "text": "Spørsmål?", "subquestions": "Mer?"}
                    for i in range(groups)
                ],
            }
        ],
    }
    assert render_pdf(guide(snapshot)).startswith(b"%PDF")


def test_pdf_survives_characters_the_font_lacks_and_control_characters():
    snapshot = long_snapshot(1)
    snapshot["themes"][0]["name"] = "Tema 🙂\x00\x1b"
    snapshot["themes"][0]["questions"][0]["text"] = "x" * 500  # one word longer than a line
    assert render_pdf(guide(snapshot)).startswith(b"%PDF")


def test_engine_does_not_import_django():
    code = (
        "import sys, bsbstudio.guide.engine; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0

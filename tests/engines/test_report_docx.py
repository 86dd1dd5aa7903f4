"""The process report: builder (document model) and DOCX renderer, tested without Django."""

import io
import subprocess
import sys
from datetime import date, datetime

import docx
import pytest

from bsbstudio.reports.engine import (
    Bullets,
    Heading,
    Paragraph,
    ProcessReportInput,
    Quote,
    QuoteBox,
    Table,
    ThemeFindings,
    build_process_report,
    render_docx,
)
from bsbstudio.reports.engine.markup import parse_free_text
from bsbstudio.reports.engine.text import strip_quote_marks, xml_safe
from bsbstudio.reports.engine.texts import normalise_language

CONTROL_CHARS = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r") + "\x7f\ufffe\ud800"


def report_input(language="nb", **overrides):
    themes = [
        ThemeFindings(
            theme="Tilgjengelighet",
            description="Hvor lett det er å få kontakt med teamet.",
            main_points="Teamet svarer raskt.\n\n- Få venter lenge\n- Kveldstid er vanskelig",
            quotes=[
                Quote("Jeg ringte og de kom samme dag.", "Brukere", "positive", number=1),
                Quote("«Det tar for lang tid i helgene.»", "Pårørende", "critical", "indirect"),
            ],
        ),
        ThemeFindings(theme="Medvirkning", description="", main_points="", quotes=[]),
        ThemeFindings(
            theme="Samarbeid",
            main_points="Ansatte ønsker faste møter.",
            quotes=[Quote("Vi snakker for lite sammen.", "Ansatte", "critical")],
        ),
    ]
    values = dict(
        evaluation_name="Evaluering av Solbakken ambulante team",
        site_name="Solbakken",
        commissioner="Eikvik kommune",
        period="februar–november 2026",
        authors=["Kari Nordlie", "Per Dalen"],
        introduction="Rapporten bygger på seks intervjuer.",
        themes=themes,
        generated_on=date(2026, 3, 3),
        language=language,
    )
    values.update(overrides)
    return ProcessReportInput(**values)


def reopen(data):
    return docx.Document(io.BytesIO(render_docx(build_process_report(data))))


def styled(document, style_name):
    return [p.text for p in document.paragraphs if p.style.name == style_name]


@pytest.fixture(scope="module")
def report():
    return reopen(report_input())


# --- the document model -------------------------------------------------------------------


def test_quotes_are_numbered_through_the_whole_report():
    model = build_process_report(report_input())
    assert [box.number for box in model.of_type(QuoteBox)] == [1, 2, 3]


@pytest.mark.parametrize(
    ("index", "attribution", "caption", "text"),
    [
        (0, "– Bruker", "Sitat 1 · positivt", "Jeg ringte og de kom samme dag."),
        (1, "– Pårørende", "Sitat 2 · kritisk · indirekte", "Det tar for lang tid i helgene."),
        (2, "– Ansatt", "Sitat 3 · kritisk", "Vi snakker for lite sammen."),
    ],
)
def test_quote_boxes(index, attribution, caption, text):
    box = build_process_report(report_input()).of_type(QuoteBox)[index]
    assert (box.attribution, box.caption, box.text) == (attribution, caption, text)


def test_overview_table_counts_quotes_per_theme():
    (table,) = build_process_report(report_input()).of_type(Table)
    assert table.header == ("Tema", "Sitater", "Positive", "Kritiske", "Nøytrale")
    assert table.rows == (
        ("Tilgjengelighet", "2", "1", "1", "0"),
        ("Medvirkning", "0", "0", "0", "0"),
        ("Samarbeid", "1", "0", "1", "0"),
    )


def test_a_blank_quote_is_left_out_and_not_numbered():
    themes = [ThemeFindings("Tema", quotes=[Quote(" «» ", "Brukere"), Quote("Ja.", "Brukere")])]
    model = build_process_report(report_input(themes=themes))
    assert [(b.number, b.text) for b in model.of_type(QuoteBox)] == [(1, "Ja.")]


def test_unsupported_language_is_refused():
    with pytest.raises(ValueError, match="not supported"):
        build_process_report(report_input(language="sv"))


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("nb", "nb"), ("nb-NO", "nb"), ("no", "nb"), ("en", "en"), ("en_GB", "en")],
)
def test_language_tags(tag, expected):
    assert normalise_language(tag) == expected


@pytest.mark.parametrize(
    ("field", "value"),
    [("polarity", "angry"), ("directness", "sideways")],
)
def test_quote_rejects_unknown_coding(field, value):
    with pytest.raises(ValueError, match=field):
        Quote("tekst", "Brukere", **{field: value})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("Én linje.", [Paragraph("Én linje.")]),
        ("To\nlinjer.", [Paragraph("To linjer.")]),
        ("A.\n\nB.", [Paragraph("A."), Paragraph("B.")]),
        ("- en\n- to", [Bullets(("en", "to"))]),
        (
            "Innledning:\n- en\n  fortsatt\n* to\n• tre",
            [
                Paragraph("Innledning:"),
                Bullets(("en fortsatt", "to", "tre")),
            ],
        ),
        ("- en\nEtterpå.", [Bullets(("en",)), Paragraph("Etterpå.")]),
        ("-5 grader er kaldt.\n-\n- ", [Paragraph("-5 grader er kaldt. -")]),
        ("A.\r\n \r\nB.", [Paragraph("A."), Paragraph("B.")]),
    ],
)
def test_free_text_markup(text, expected):
    assert parse_free_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("«Sitat»", "Sitat"),
        ("”Sitat”", "Sitat"),
        ('  "Sitat"  ', "Sitat"),
        ("Sitat «med» sitat", "Sitat «med» sitat"),
        ("«", "«"),
    ],
)
def test_strip_quote_marks(text, expected):
    assert strip_quote_marks(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\x00b\x1fc", "abc"),
        ("a\x0bb\x0cc", "a\nb\nc"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("tab\there", "tab\there"),
        ("æøå «»–", "æøå «»–"),
        ("a\ud800\ufffeb\x85", "ab"),
    ],
)
def test_xml_safe(text, expected):
    assert xml_safe(text) == expected


# --- the rendered DOCX --------------------------------------------------------------------


def test_title_page(report):
    assert styled(report, "Title") == ["Prosessrapport"]
    assert styled(report, "Subtitle") == ["Evaluering av Solbakken ambulante team"]
    assert styled(report, "BSB Title Fact") == [
        "Tjenestested: Solbakken",
        "Oppdragsgiver: Eikvik kommune",
        "Periode: februar–november 2026",
        "Utarbeidet av: Kari Nordlie, Per Dalen",
        "Dato: 3. mars 2026",
    ]


def test_headings(report):
    assert styled(report, "Heading 1") == [
        "Innledning",
        "Om metoden",
        "Tilgjengelighet",
        "Medvirkning",
        "Samarbeid",
    ]
    assert styled(report, "Heading 2").count("Hovedpunkter") == 3
    assert styled(report, "Heading 2").count("Sitater") == 3


def test_method_text_explains_anonymisation(report):
    method = " ".join(styled(report, "Normal"))
    assert "Bruker Spør Bruker" in method
    assert "anonymisert" in method


def test_theme_description_is_italic(report):
    assert styled(report, "BSB Lead") == ["Hvor lett det er å få kontakt med teamet."]
    assert report.styles["BSB Lead"].font.italic is True


def test_main_points_become_paragraphs_and_bullets(report):
    assert styled(report, "List Bullet") == ["Få venter lenge", "Kveldstid er vanskelig"]
    assert "Teamet svarer raskt." in styled(report, "Normal")


def test_empty_theme_gets_placeholders(report):
    assert styled(report, "BSB Note") == [
        "Ingen hovedpunkter skrevet ennå.",
        "Ingen sitater er valgt til dette temaet ennå.",
    ]


def test_quote_boxes_in_docx(report):
    assert styled(report, "BSB Quote Caption") == [
        "Sitat 1 · positivt",
        "Sitat 2 · kritisk · indirekte",
        "Sitat 3 · kritisk",
    ]
    assert styled(report, "BSB Quote") == [
        "«Jeg ringte og de kom samme dag.»",
        "«Det tar for lang tid i helgene.»",
        "«Vi snakker for lite sammen.»",
    ]
    assert styled(report, "BSB Quote Attribution") == ["– Bruker", "– Pårørende", "– Ansatt"]
    assert report.styles["BSB Quote"].font.italic is True
    assert report.styles["BSB Quote"].base_style.name == "Quote"


def test_overview_table_in_docx(report):
    (table,) = report.tables
    header = [cell.text for cell in table.rows[0].cells]
    assert header == ["Tema", "Sitater", "Positive", "Kritiske", "Nøytrale"]
    assert len(table.rows) == 4


def test_core_properties(report):
    props = report.core_properties
    assert props.title == "Prosessrapport – Evaluering av Solbakken ambulante team, Solbakken"
    assert props.subject == "Bruker Spør Bruker: prosessrapport for Solbakken"
    assert props.author == "Kari Nordlie, Per Dalen"
    assert props.language == "nb-NO"
    assert props.created.replace(tzinfo=None) == datetime(2026, 3, 3)


def test_a4_page_with_page_number_field(report):
    section = report.sections[0]
    # Word stores lengths in twentieths of a point, so compare in whole millimetres.
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.mm) == 25
    footer_xml = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer_xml
    assert 'w:fldCharType="begin"' in footer_xml and 'w:fldCharType="end"' in footer_xml


def test_control_characters_survive_rendering():
    nasty = f"Det var{CONTROL_CHARS} greit."
    themes = [
        ThemeFindings(
            theme=f"Tema{CONTROL_CHARS}",
            description=nasty,
            main_points=f"- {nasty}",
            quotes=[Quote(nasty, f"Brukere{CONTROL_CHARS}")],
        )
    ]
    document = reopen(
        report_input(themes=themes, evaluation_name=f"Eval\x00{CONTROL_CHARS}", authors=[nasty])
    )
    assert styled(document, "BSB Quote") == ["«Det var\n\n greit.»"]
    assert "Tema" in styled(document, "Heading 1")
    # Vertical tab and form feed become line breaks, so in main points they end a paragraph.
    assert styled(document, "List Bullet") == ["Det var"]
    assert "greit." in styled(document, "Normal")
    assert document.core_properties.author == "Det var greit."


def test_english_texts():
    document = reopen(report_input(language="en"))
    assert styled(document, "Title") == ["Process report"]
    assert styled(document, "Heading 1")[:2] == ["Introduction", "About the method"]
    assert styled(document, "Heading 2").count("Main points") == 3
    assert styled(document, "BSB Quote Caption")[1] == "Quote 2 · critical · indirect"
    assert styled(document, "BSB Note")[0] == "No main points written yet."
    assert "Date: 3 March 2026" in styled(document, "BSB Title Fact")
    assert document.core_properties.language == "en-GB"


def test_minimal_input_renders():
    data = ProcessReportInput(evaluation_name="E", site_name="S", generated_on=date(2026, 1, 1))
    model = build_process_report(data)
    assert not model.of_type(Table)
    assert [h.text for h in model.of_type(Heading)] == ["Prosessrapport", "Om metoden"]
    assert render_docx(model).startswith(b"PK")


def test_engine_imports_without_django():
    # A fresh interpreter: pytest-django may already have imported Django into this one.
    code = "import sys, bsbstudio.reports.engine; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0

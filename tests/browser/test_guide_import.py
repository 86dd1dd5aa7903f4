"""A theme guide brought in through the real pages: from a Word table, and from pasted text."""

from __future__ import annotations

import pytest
from django.urls import reverse
from docx import Document

from bsbstudio.guide.models import GuideQuestion

pytestmark = pytest.mark.browser


def test_guide_imported_from_a_docx_table_and_from_pasted_text(
    transactional_db, evaluation, log_in_as, live_server, tmp_path
):
    document = Document()
    document.add_heading("Temaguide", level=1)
    table = document.add_table(rows=4, cols=3)
    rows = [
        ["Tema", "Brukere og pårørende", "Ansatte"],
        ["Hverdagen", "Hvordan ser en vanlig dag ut?", ""],
        ["1.1 Aktiviteter", "Hva liker du å gjøre?", "Hvilke aktiviteter tilbyr dere?"],
        ["Samarbeid", "Hvem hjelper deg?", "Hvem samarbeider dere med?"],
    ]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    path = tmp_path / "temaguide.docx"
    document.save(path)

    page = log_in_as("process_leader")
    page.goto(live_server.url + reverse("guide:grid", args=[evaluation.slug]))
    page.get_by_role("link", name="Bring in a theme guide").click()
    page.get_by_label("File (Word .docx, Excel .xlsx or .csv)").set_input_files(str(path))
    page.get_by_role("button", name="Read the file").click()
    assert page.locator("h1").inner_text() == "Check the theme guide before saving"
    assert page.get_by_label("Name of the theme in row 2").input_value() == "Aktiviteter"
    assert page.get_by_label("Level of the theme in row 2").input_value() == "sub"
    assert page.locator("td .meta", has_text="Empty").count() == 1
    # The shared column goes to the existing "Brukere" and a new "Pårørende": both ticked.
    column = page.get_by_role("group", name="Column “Brukere og pårørende”")
    assert column.get_by_label("Brukere", exact=True).is_checked()
    assert column.get_by_label("New group: Pårørende").is_checked()
    # Fix before saving: rename a theme and leave one out.
    page.get_by_label("Name of the theme in row 1").fill("En vanlig dag")
    page.get_by_label("Keep “Samarbeid”").uncheck()
    page.get_by_role("button", name="Save in the guide").click()
    assert "The guide got 2 themes from the table, with 5 questions." in page.inner_text("body")
    names = list(evaluation.themes.order_by("order", "id").values_list("name", flat=True))
    assert names == ["Tilgang", "Å bli møtt", "En vanlig dag", "Aktiviteter"]
    assert GuideQuestion.objects.filter(text="Hvordan ser en vanlig dag ut?").count() == 2

    page.get_by_role("link", name="Bring in a theme guide").click()
    page.get_by_label("The guide", exact=True).fill(
        "Bolig\n- Brukere: Hvor bor du nå?\n  - Hvor lenge har du bodd der?\n"
        "- Ansatte: Hvordan hjelper dere med bolig?\n"
    )
    page.get_by_role("button", name="Read the text").click()
    assert page.get_by_label("Name of the theme in row 1").input_value() == "Bolig"
    page.get_by_role("button", name="Save in the guide").click()
    assert "The guide got 1 theme from the table, with 2 questions." in page.inner_text("body")
    housing = GuideQuestion.objects.get(theme__name="Bolig", group__code="B")
    assert housing.subquestions == "Hvor lenge har du bodd der?"

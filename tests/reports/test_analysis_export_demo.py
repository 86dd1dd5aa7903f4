"""The demo's matrix and display download as shown, with its coded quotes in them."""

from __future__ import annotations

import io
import time

import docx
import openpyxl
from django.urls import reverse

from bsbstudio.demo.condensation import SLUG
from bsbstudio.demo.loader import DATA_DIR, demo_user, load_file

from .pdftext import pages_text


def test_the_demo_matrix_and_display_download_with_quotes(db, verified_client):
    leader = demo_user("demo", "demo-password-1")
    load_file(DATA_DIR / "ambulant_team.yaml", leader)
    client = verified_client(leader)
    started = time.perf_counter()
    xlsx = client.get(
        reverse("reports:matrix_view_xlsx", args=[SLUG]), {"column": "site", "show": "quotes"}
    )
    docx_file = client.get(reverse("reports:matrix_view_docx", args=[SLUG]), {"show": "quotes"})
    elapsed = time.perf_counter() - started
    assert xlsx.status_code == docx_file.status_code == 200, xlsx.get("Location")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    quotes = [c for row in book.worksheets[1].iter_rows(values_only=True) for c in row if c]
    assert sum(str(c).count("«") for c in quotes) >= 15
    table = docx.Document(io.BytesIO(docx_file.content)).tables[0]
    assert "«" in str([cell.text for row in table.rows for cell in row.cells])
    pdf = client.get(reverse("reports:display_pdf", args=[SLUG]))
    assert pdf.status_code == 200
    assert "Brukerperspektivet" in " ".join(pages_text(pdf.content))
    assert elapsed < 10

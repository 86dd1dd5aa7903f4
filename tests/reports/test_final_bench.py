"""The final-report part of `bsb bench report`: the synthetic evaluation has the Oslo sizes."""

from __future__ import annotations

import argparse
import io

from bsbstudio.reports.bench import (
    INTERVIEWS,
    QUOTES,
    baseline_docx,
    final_report_part,
    synthetic_final_report,
)
from bsbstudio.reports.engine.document import QuoteBox
from bsbstudio.reports.engine.final_report import build_final_report


def test_synthetic_report_has_the_oslo_sizes_and_numbers_every_quote():
    data = synthetic_final_report()
    assert len(data.method.sites) == 15 and len(data.chapters) == 25
    assert sum(f + i for _s, f, i in data.method.interviews) == INTERVIEWS == 60
    document = build_final_report(data)
    numbers = [box.number for box in document.of_type(QuoteBox)]
    assert numbers == list(range(1, QUOTES + 1))
    assert baseline_docx(document).startswith(b"PK")


def test_the_part_prints_both_formats_beside_the_baseline(monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr("bsbstudio.reports.bench.QUOTES", 25)  # small: only the printing is checked
    assert final_report_part(argparse.Namespace(repeat=1), out) in (True, False)
    text = out.getvalue()
    assert "final report DOCX" in text and "final report PDF" in text and "target:" in text

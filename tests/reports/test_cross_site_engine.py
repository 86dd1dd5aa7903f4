"""The cross-site table engine and its XLSX writer, without Django."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from bsbstudio.reports.engine.cross_site import (
    facts_table,
    heat_level,
    parse_number,
    rating_table,
    stacked_bars,
    with_sums,
)
from bsbstudio.reports.engine.xlsx import sheet_names, write_xlsx

SCALE = ["profilert", "lite profilert", "ikke vurdert"]


def test_with_sums_adds_a_total_column_and_a_sum_row():
    table = with_sums(
        "I",
        "Intervjuer",
        "Bydel",
        ["FG", "Ind"],
        [("A", [2, 1]), ("B", [0, 3])],
        total="Totalt",
        sum_label="Sum",
    )
    assert table.columns == ("FG", "Ind", "Totalt")
    assert [r.values for r in table.rows] == [(2, 1, 3), (0, 3, 3)]
    assert table.footer[0].label == "Sum" and table.footer[0].values == (2, 4, 6)


def test_rating_table_counts_sites_per_category_per_area():
    table = rating_table(
        "R",
        "Områder",
        "Bydel",
        ["Bolig", "Aktivitet"],
        [("A", ["profilert", "lite profilert"]), ("B", ["profilert", None])],
        SCALE,
        sum_label="Antall",
    )
    assert [(r.label, r.values) for r in table.footer] == [
        ("Antall: profilert", (2, 0)),
        ("Antall: lite profilert", (0, 1)),
        ("Antall: ikke vurdert", (0, 0)),
    ]
    bars = stacked_bars(table, SCALE, width=100)
    assert [(p.category, p.count, p.x, p.width) for p in bars[0][1]] == [("profilert", 2, 0, 100)]
    assert [(p.x, p.width) for p in bars[1][1]] == [(0, 50)]


def test_rating_table_refuses_a_value_outside_the_scale():
    with pytest.raises(ValueError, match="not on the scale"):
        rating_table("R", "R", "Bydel", ["Bolig"], [("A", ["strålende"])], SCALE, sum_label="N")


def test_facts_table_sums_and_averages_the_sites_that_have_a_value():
    table = facts_table(
        "F",
        "Fakta",
        "Bydel",
        ["Boliger", "Tomt"],
        [("A", [Decimal("2.5000"), None]), ("B", [Decimal("4"), None]), ("C", [None, None])],
        sum_label="Sum",
        average_label="Snitt",
    )
    assert table.rows[0].values == (Decimal("2.5"), None)
    assert table.footer[0].values == (Decimal("6.5"), None)
    assert table.footer[1].values == (Decimal("3.25"), None)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12", Decimal("12")),
        ("3,5", Decimal("3.5")),
        ("1 234,5", Decimal("1234.5")),
        ("-0.25", Decimal("-0.25")),
        ("", None),
        ("  ", None),
    ],
)
def test_parse_number_reads_numbers_as_people_write_them(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    "text", ["mange", "12 boliger", "1,2,3", "NaN", "Infinity", "1e5", "9" * 11]
)
def test_parse_number_refuses_text_and_huge_values(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_heat_levels_run_from_empty_to_fullest():
    assert [heat_level(n, 10) for n in (0, 1, 5, 10)] == [0, 1, 2, 5]


def test_the_workbook_keeps_numbers_as_numbers_and_formulas_as_text():
    table = with_sums(
        "Quotes: a/b?", "T", "Tema", ["x"], [("=SUM(A1)", [3])], total="Tot", sum_label="Sum"
    )
    facts = facts_table(
        "Quotes: a/b?",
        "F",
        "Bydel",
        ["n"],
        [("A", [Decimal("1.5")])],
        sum_label="Sum",
        average_label="Snitt",
    )
    book = openpyxl.load_workbook(io.BytesIO(write_xlsx([table, facts])))
    assert book.sheetnames == ["Quotes- a-b-", "Quotes- a-b- (2)"]
    sheet = book.worksheets[0]
    assert sheet["A2"].value == "=SUM(A1)" and sheet["A2"].data_type == "s"
    assert (sheet["A3"].value, sheet["B3"].value, sheet["C3"].value) == ("Sum", 3, 3)
    assert isinstance(book.worksheets[1]["B2"].value, float)


def test_sheet_names_fit_excel():
    long = with_sums("x" * 40, "T", "R", [], [], total="T", sum_label="S")
    assert [len(n) for n in sheet_names([long, long])] == [31, 31]

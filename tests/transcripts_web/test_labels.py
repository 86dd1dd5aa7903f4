"""The rules for speaker labels, as a table (plain Python, no database)."""

from __future__ import annotations

import pytest

from bsbstudio.transcripts.labels import (
    is_interviewer_label,
    looks_like_name,
    numbered,
    replace_label,
)


@pytest.mark.parametrize(
    ("label", "name_like"),
    [
        ("I", False),
        ("M", False),
        ("H1", False),
        ("IP3", False),
        ("D12", False),
        ("B-01", False),
        ("SPEAKER_00", False),
        ("Intervjuer", False),
        ("Moderator 2", False),
        ("Deltaker 3", False),
        ("Deltaker3", False),
        ("Pårørende", False),
        ("Bruker A", False),
        ("Kari", True),
        ("Ole Hansen", True),
        ("Kari 2", True),
        ("Åse", True),
        ("", False),
    ],
)
def test_looks_like_name(label, name_like):
    assert looks_like_name(label) is name_like


@pytest.mark.parametrize(
    ("label", "interviewer"),
    [
        ("I", True),
        ("I2", True),
        ("M", True),
        ("Moderator", True),
        ("intervjuer 2", True),
        ("D1", False),
        ("Kari", False),
        ("Deltaker 1", False),
    ],
)
def test_is_interviewer_label(label, interviewer):
    assert is_interviewer_label(label) is interviewer


def test_numbered_takes_the_lowest_free_label():
    taken = {"Taler 1"}
    assert numbered("Taler", taken, first_plain=False) == "Taler 2"
    assert numbered("Intervjuer", taken, first_plain=True) == "Intervjuer"
    assert numbered("Intervjuer", taken, first_plain=True) == "Intervjuer 2"


@pytest.mark.parametrize(
    ("between", "expected"),
    [
        ("Kari: ", "D1: "),
        ("\nKari: ", "\nD1: "),
        ("slutt.\nKari (via tolk): ", "slutt.\nD1 (via tolk): "),
        ("\nKari:", "\nD1:"),
        ("\nD2: ", "\nD2: "),
    ],
)
def test_replace_label(between, expected):
    assert replace_label(between, "Kari", "D1") == expected

"""The help texts of the BSB circle (help_steps.yaml) in the user's language, and the circle's layout."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import yaml
from django.utils.translation import get_language

STEPS_FILE = Path(__file__).parent / "help_steps.yaml"


@cache
def _steps() -> list[dict]:
    with STEPS_FILE.open(encoding="utf-8") as file:
        return yaml.safe_load(file)


def steps(language: str | None = None) -> list[dict]:
    """Every step with its texts in ``language`` (the active one by default; bokmål otherwise)."""
    language = (language or get_language() or "nb").split("-")[0]
    language = "en" if language == "en" else "nb"
    return [
        {
            "key": step["key"],
            "number": step["number"],
            "circle": step.get("circle", True),
            **step[language],
        }
        for step in _steps()
    ]


def step(key: str) -> dict | None:
    """One step's texts by key, or None."""
    return next((entry for entry in steps() if entry["key"] == key), None)


def _lines(title: str, width: int = 22) -> list[str]:
    """A label broken into lines of about ``width`` characters, at spaces."""
    lines: list[str] = []
    for word in title.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def circle(radius: float = 170, centre: tuple[float, float] = (360, 250)) -> list[dict]:
    """The steps drawn on the circle, with their position (clockwise from the top) and parts.

    A step not drawn (de-identification) is a part of the drawn step before it. Each label sits
    outside the circle, beside its node: to the right on the right half, to the left on the left.
    """
    drawn: list[dict] = []
    for entry in steps():
        if entry["circle"] or not drawn:
            drawn.append({**entry, "parts": []})
        else:
            drawn[-1]["parts"].append(entry)
    for index, entry in enumerate(drawn):
        angle = 2 * math.pi * index / len(drawn) - math.pi / 2
        x = centre[0] + radius * math.cos(angle)
        y = centre[1] + radius * math.sin(angle)
        entry["x"], entry["y"] = round(x, 1), round(y, 1)
        lines = _lines(f"{entry['number']}. {entry['title']}")
        if abs(x - centre[0]) < 1:  # the top: the label above the node
            entry["anchor"], label_x, label_y = "middle", x, y - 34 - 18 * (len(lines) - 1)
        elif x > centre[0]:
            entry["anchor"], label_x, label_y = "start", x + 32, y + 5 - 9 * (len(lines) - 1)
        else:
            entry["anchor"], label_x, label_y = "end", x - 32, y + 5 - 9 * (len(lines) - 1)
        entry["label_x"] = round(label_x, 1)
        entry["lines"] = [
            {"text": line, "y": round(label_y + 18 * number, 1)}
            for number, line in enumerate(lines)
        ]
    return drawn

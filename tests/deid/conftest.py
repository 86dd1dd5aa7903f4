"""Shared fixtures: one detector with the model and one without, per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from bsbstudio.deid.engine import Detector
from bsbstudio.deid.engine.model import model_available

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


@pytest.fixture(scope="session")
def rules() -> Detector:
    return Detector(use_ner=False)


@pytest.fixture(scope="session")
def detector() -> Detector:
    if not model_available():
        pytest.skip("no trained NER model in the package")
    return Detector()


def _found(detector: Detector, text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.label) for s in detector.detect(text)]


@pytest.fixture(scope="session")
def found():
    """``found(detector, text)``: the (surface, label) pairs detected."""
    return _found

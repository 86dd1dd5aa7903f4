"""The de-identification engine: plain Python, no Django.

Detect, then replace::

    detector = Detector(lists=EvaluationLists(people=["Kari Nordmann"]))
    spans = detector.detect(text)
    redacted, mapping = Redactor(mode="placeholder").redact(text, spans)
"""

from .detector import Detector
from .lists import EvaluationLists
from .redactor import PLACEHOLDERS, Redactor
from .span import DIRECT_LABELS, LABELS, QUASI_LABELS, Span

__all__ = [
    "DIRECT_LABELS",
    "LABELS",
    "PLACEHOLDERS",
    "QUASI_LABELS",
    "Detector",
    "EvaluationLists",
    "Redactor",
    "Span",
]

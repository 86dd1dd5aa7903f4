"""The detector: run every registered recogniser over a text and merge the results."""

from __future__ import annotations

from .document import Document
from .lexicon import lexicon
from .lists import EvaluationLists
from .merge import merge
from .model import model_available
from .propagate import propagate
from .recognisers.registry import build_recognisers
from .span import Span

DEFAULT_MIN_SCORE = 0.5
CONFIDENT = 0.75


class Detector:
    """Find identifiers in Norwegian text.

    ``lists`` are the evaluation's own people, places and organisations. With ``use_ner`` the
    shipped NER model runs too (loaded once per process); if the model is missing the rules run
    alone. Spans scoring under ``min_score`` are dropped.
    """

    def __init__(
        self,
        lists: EvaluationLists | None = None,
        *,
        use_ner: bool = True,
        model_dir: str | None = None,
        min_score: float = DEFAULT_MIN_SCORE,
    ) -> None:
        """Build the recognisers once; reuse the detector for many texts."""
        self.lists = lists or EvaluationLists()
        self.use_ner = use_ner and (model_dir is not None or model_available())
        self.min_score = min_score
        self.lexicon = lexicon()
        self.recognisers = build_recognisers(use_ner=self.use_ner, model_dir=model_dir)

    def candidates(self, text: str) -> list[Span]:
        """Every span of every recogniser, before merging (for explanations and debugging)."""
        return self._run(Document(text, self.lists, self.lexicon))

    def _run(self, doc: Document) -> list[Span]:
        """Rules first; the model only where they left capitalised words undecided."""
        spans: list[Span] = []
        for recogniser in self.recognisers:
            if recogniser.needs_rules:
                doc.confident = [(s.start, s.end) for s in spans if s.score >= CONFIDENT]
            spans.extend(recogniser.analyse(doc))
        spans.extend(propagate(doc, spans))
        return spans

    def detect(self, text: str) -> list[Span]:
        """Spans sorted by start, never overlapping, with valid code-point offsets."""
        if not isinstance(text, str):
            raise TypeError("text must be str")
        if not text.strip():
            return []
        doc = Document(text, self.lists, self.lexicon)
        spans = self._run(doc)
        return merge(spans, text, exclude=doc.speaker_codes, min_score=self.min_score)

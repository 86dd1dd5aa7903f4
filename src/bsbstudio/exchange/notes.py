"""De-identify the notes an import brings in, before they are stored as memos.

Notes written in another program are raw material like the texts, but they become memos, which
search, the analysis pages and every export read. Holding them for a person to review would need
a review page of their own; the detector and redactor the transcripts use are enough to make
them safe at once, so each note is stored with every hit replaced. The evaluation's pseudonym
mapping is used and saved, so a name gets the same placeholder in the notes as in the texts.
Nothing of the original note is kept.
"""

from __future__ import annotations

from bsbstudio.deid.actions import detector_for
from bsbstudio.deid.engine import Redactor
from bsbstudio.deid.models import PseudonymMapping


class NoteScreen:
    """Replaces detected names and identifiers in note texts (call inside the import's transaction)."""

    def __init__(self, evaluation) -> None:
        self.evaluation = evaluation
        self.replaced = 0
        self._detector = None
        self._stored = None
        self._redactor = None

    def _ready(self) -> None:
        if self._redactor is None:
            self._detector = detector_for(self.evaluation)
            self._stored, _created = PseudonymMapping.objects.select_for_update().get_or_create(
                evaluation=self.evaluation
            )
            self._redactor = Redactor(
                mode=self.evaluation.replacement_mode, mapping=self._stored.mapping
            )

    def clean(self, text: str) -> str:
        """``text`` with every hit of the detector replaced, as in a de-identified text."""
        if not text.strip():
            return text
        self._ready()
        spans = self._detector.detect(text)
        if not spans:
            return text
        self.replaced += len(spans)
        cleaned, _mapping = self._redactor.redact(text, spans)
        return cleaned

    def clean_all(self, texts: list[str]) -> list[str]:
        """Each of ``texts`` cleaned."""
        return [self.clean(text) for text in texts]

    def save(self) -> None:
        """Keep the new pseudonyms, so the texts reviewed later use the same ones."""
        if self._stored is not None:
            self._stored.mapping = self._redactor.mapping
            self._stored.save(update_fields=["mapping", "updated_at"])

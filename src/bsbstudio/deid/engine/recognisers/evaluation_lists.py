"""The evaluation's own lists of people, places and organisations (any case, every mention)."""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Document
from ..span import Span
from .base import Recogniser, list_regex


class EvaluationListRecogniser(Recogniser):
    """Every mention of a name the evaluation registered, and each word of a person's name."""

    name = "evaluation_list"
    label = "PERSON"

    def analyse(self, doc: Document) -> Iterator[Span]:
        """Match each list; single words of people's names only when they are not ordinary."""
        lists = doc.lists
        if not lists:
            return
        lex = doc.lexicon
        parts = {
            part
            for person in lists.people
            for part in person.replace("-", " ").split()
            if len(part) > 1 and not lex.is_ordinary(part) and not lex.is_allowed(part)
        }
        groups = (
            ("PERSON", lists.people, "a person registered in this evaluation"),
            ("PERSON", parts, "part of a person's name registered in this evaluation"),
            ("LOCATION", lists.places, "a place registered in this evaluation"),
            ("ORGANIZATION", lists.organizations, "a service registered in this evaluation"),
        )
        for label, names, why in groups:
            regex = list_regex(names)
            if regex is None:
                continue
            for match in regex.finditer(doc.text):
                # genitive: "Karis" -> include the s
                end = match.end()
                if doc.text[end : end + 1] == "s" and not doc.text[end + 1 : end + 2].isalnum():
                    end += 1
                yield self.span(match.start(), end, 0.95, why, label=label)

"""The review's hits in plain words: why each was flagged, and the hits grouped by what they say.

The engine explains a hit for developers (recogniser, pattern, score). A peer worker reviewing a
transcript needs one short sentence in their own language instead, and one decision per name
rather than one per mention, so the explanation here is chosen from the recogniser that found the
hit, never copied from the engine's English text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# How many mentions of an entity the review shows in context (the rest are counted).
CONTEXTS_SHOWN = 3
CONTEXT_CHARS = 40

KINDS = {
    "PERSON": gettext_lazy("Name"),
    "ID_NUMBER": gettext_lazy("National identity number"),
    "PHONE": gettext_lazy("Phone number"),
    "EMAIL": gettext_lazy("Email address"),
    "URL": gettext_lazy("Web address"),
    "LOCATION": gettext_lazy("Place"),
    "ORGANIZATION": gettext_lazy("Organisation or service"),
    "DATE": gettext_lazy("Date"),
    "AGE": gettext_lazy("Age"),
    "QUASI": gettext_lazy("Detail that may point to someone"),
}

BY_SOURCE = {
    "name_list": gettext_lazy("is on the list of first names"),
    "name_context": gettext_lazy("stands where a name usually stands"),
    "propagation": gettext_lazy("the same name was found elsewhere in the text"),
    "phone": gettext_lazy("looks like a phone number"),
    "email": gettext_lazy("looks like an email address"),
    "url": gettext_lazy("looks like a web address"),
    "address": gettext_lazy("looks like a street address"),
    "date": gettext_lazy("looks like a date"),
    "age": gettext_lazy("looks like someone's age"),
    "place_list": gettext_lazy("is on the list of place names"),
    "organisation": gettext_lazy("looks like the name of a service or workplace"),
    "quasi": gettext_lazy("may point to one particular person (a job, a role or an event)"),
    "capitalised": gettext_lazy(
        "has a capital letter in the middle of a sentence and is not an ordinary word"
    ),
    "reviewer": gettext_lazy("added by a person reviewing the text"),
}

# A quasi-identifier's category ("[YRKE]") says more than the recogniser that found it.
BY_CATEGORY = {
    "YRKE": gettext_lazy("looks like an occupation or position that may point to one person"),
    "ROLLE": gettext_lazy("looks like a role that only one person has"),
    "DIAGNOSE": gettext_lazy(
        "looks like a rare condition or diagnosis that may point to one person"
    ),
    "MEDLEMSKAP": gettext_lazy(
        "looks like a membership (a team, a band, a programme) that may point to one person"
    ),
    "HENDELSE": gettext_lazy("looks like a notable event that may point to one person"),
}

NER_BY_LABEL = {
    "PERSON": gettext_lazy("the language model thinks it is a name"),
    "LOCATION": gettext_lazy("the language model thinks it is a place"),
    "ORGANIZATION": gettext_lazy("the language model thinks it is a service or workplace"),
}


def kind(label: str) -> str:
    """The kind of identifier a label stands for, in the user's language."""
    return str(KINDS.get(label, KINDS["QUASI"]))


def explain(source: str, label: str, explanation: str = "", category: str = "") -> str:
    """One short sentence saying why a hit was flagged, without scores or recogniser names.

    ``explanation`` (the engine's English text) is only read for facts the source alone does not
    give, such as whether an identity number's check digits hold; it is never shown.
    """
    if label == "QUASI" and category in BY_CATEGORY:
        return str(BY_CATEGORY[category])
    if source == "id_number":
        if "fail" in explanation:
            return _("looks like a national identity number, but the check digits are wrong")
        if "check digits" in explanation:
            return _("looks like a national identity number (the check digits are correct)")
        return _("looks like a national identity number")
    if source == "spoken_number":
        if explanation.startswith("11"):
            return _("looks like a national identity number read out in words")
        return _("looks like a phone number read out in words")
    if source == "evaluation_list":
        if explanation.startswith("part of"):
            return _("is part of a name on the evaluation's list of names to hide")
        return _("is on the evaluation's list of names to hide")
    if source == "ner":
        return str(NER_BY_LABEL.get(label, NER_BY_LABEL["PERSON"]))
    if source in BY_SOURCE:
        return str(BY_SOURCE[source])
    return _("may show who someone is")


@dataclass
class Entity:
    """Every hit of one transcript with the same text: one decision covers them all."""

    key: int  # the first hit's id: the form field ``entity_<key>`` decides the whole group
    text: str
    hits: list = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    contexts: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def decision(self) -> str:
        """The group's decision when every mention has the same one, else ``"mixed"``."""
        decisions = {hit.decision for hit in self.hits}
        return decisions.pop() if len(decisions) == 1 else "mixed"

    @property
    def category(self) -> str:
        """What every mention may be generalised to ("YRKE"), or "" when they may not all be."""
        categories = {hit.category if hit.label == "QUASI" else "" for hit in self.hits}
        category = categories.pop() if len(categories) == 1 else ""
        return category if category in BY_CATEGORY else ""

    @property
    def choice(self) -> str:
        """The choice the review shows as made: a decision, or for a generalised hit its form.

        "category" or "ellipsis" for hidden mentions of an entity with a category, "mixed" when
        the mentions differ.
        """
        if not self.category or self.decision != "confirmed":
            return self.decision
        replacements = {hit.replacement for hit in self.hits}
        return replacements.pop() if len(replacements) == 1 else "mixed"

    @property
    def more(self) -> int:
        """Mentions not shown in context."""
        return len(self.hits) - len(self.contexts)


def _spaces(text: str) -> str:
    """Line breaks and runs of spaces as one space, so a context reads as one line."""
    return re.sub(r"\s+", " ", text)


def entity_key(text: str) -> str:
    """Mentions are the same entity when their words match, whatever the case or spacing."""
    return " ".join(text.split()).casefold()


def group(detections, raw_text: str) -> list[Entity]:
    """Group hits by their text, in order of first mention, with plain reasons and contexts.

    Each detection also gets ``plain`` (its own reason) and ``kind`` for the marks in the
    transcript.
    """
    entities: dict[str, Entity] = {}
    for hit in sorted(detections, key=lambda d: (d.start, d.pk)):
        hit.plain = explain(hit.source, hit.label, hit.explanation, hit.category)
        hit.kind = kind(hit.label)
        entity = entities.get(entity_key(hit.text))
        if entity is None:
            entity = entities[entity_key(hit.text)] = Entity(key=hit.pk, text=hit.text)
        entity.hits.append(hit)
        if hit.kind not in entity.kinds:
            entity.kinds.append(hit.kind)
        if hit.plain not in entity.reasons:
            entity.reasons.append(hit.plain)
        if len(entity.contexts) < CONTEXTS_SHOWN:
            before = raw_text[max(0, hit.start - CONTEXT_CHARS) : hit.start]
            after = raw_text[hit.end : hit.end + CONTEXT_CHARS]
            entity.contexts.append((_spaces(before), hit.text, _spaces(after)))
    return list(entities.values())

"""The one place where recognisers are registered, in the order they run."""

from __future__ import annotations

from collections.abc import Iterable

from .addresses import AddressRecogniser
from .ages import AgeRecogniser
from .base import Recogniser
from .capitalised import CapitalisedWordRecogniser
from .dates import DateRecogniser
from .email import EmailRecogniser
from .evaluation_lists import EvaluationListRecogniser
from .id_number import IdNumberRecogniser
from .ner import NerRecogniser
from .organisations import OrganisationRecogniser
from .person_context import PersonContextRecogniser
from .person_names import PersonNameRecogniser
from .phone import PhoneRecogniser
from .places import PlaceRecogniser
from .quasi import QuasiRecogniser
from .spoken_numbers import SpokenNumberRecogniser
from .url import UrlRecogniser

RULE_RECOGNISERS: tuple[type[Recogniser], ...] = (
    IdNumberRecogniser,
    PhoneRecogniser,
    SpokenNumberRecogniser,
    EmailRecogniser,
    UrlRecogniser,
    AddressRecogniser,
    DateRecogniser,
    AgeRecogniser,
    EvaluationListRecogniser,
    PersonNameRecogniser,
    PersonContextRecogniser,
    PlaceRecogniser,
    OrganisationRecogniser,
    QuasiRecogniser,
    CapitalisedWordRecogniser,
)


ALL_RECOGNISERS: tuple[type[Recogniser], ...] = (*RULE_RECOGNISERS, NerRecogniser)


class UnknownRecogniser(ValueError):
    """A recogniser name that is not registered; ``names`` are the unknown ones."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__(", ".join(names))


def describe_recognisers() -> list[tuple[str, str]]:
    """Each recogniser's name and the first line of its docstring, in the order they run."""
    return [(cls.name, (cls.__doc__ or "").strip().splitlines()[0]) for cls in ALL_RECOGNISERS]


def select(only: Iterable[str] | None = None, skip: Iterable[str] | None = None) -> set[str]:
    """The names of the recognisers to run: ``only`` these, or all but ``skip``.

    Raises :class:`UnknownRecogniser` for a name that is not registered.
    """
    known = [cls.name for cls in ALL_RECOGNISERS]
    asked = [*(only or ()), *(skip or ())]
    unknown = [name for name in asked if name not in known]
    if unknown:
        raise UnknownRecogniser(unknown)
    chosen = set(only) if only else set(known)
    return chosen - set(skip or ())


def build_recognisers(
    *,
    use_ner: bool = True,
    model_dir: str | None = None,
    only: Iterable[str] | None = None,
    skip: Iterable[str] | None = None,
) -> list[Recogniser]:
    """Instances of the selected recognisers; the NER recogniser last, when wanted."""
    chosen = select(only, skip)
    recognisers: list[Recogniser] = [cls() for cls in RULE_RECOGNISERS if cls.name in chosen]
    if use_ner and NerRecogniser.name in chosen:
        recognisers.append(NerRecogniser(model_dir))
    return recognisers

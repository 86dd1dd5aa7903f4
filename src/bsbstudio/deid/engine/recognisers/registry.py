"""The one place where recognisers are registered, in the order they run."""

from __future__ import annotations

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


def build_recognisers(*, use_ner: bool = True, model_dir: str | None = None) -> list[Recogniser]:
    """Instances of every registered recogniser; the NER recogniser last, when wanted."""
    recognisers: list[Recogniser] = [cls() for cls in RULE_RECOGNISERS]
    if use_ner:
        recognisers.append(NerRecogniser(model_dir))
    return recognisers

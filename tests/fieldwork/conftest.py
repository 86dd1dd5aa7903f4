"""Fixtures for fieldwork pages: clients in English, the fixture interview, a second evaluation."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse


def url(name, evaluation, *args):
    return reverse(name, args=[evaluation.slug, *args])


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


@pytest.fixture
def as_role(client_as):
    """A client logged in as a role, reading the pages in English (the msgids)."""

    def login(role: str):
        client = client_as(role)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


@pytest.fixture
def leader(as_role):
    return as_role("process_leader")


@pytest.fixture
def interview(evaluation):
    return evaluation.interviews.get(code="FG1")


@pytest.fixture
def other(db):
    """Another evaluation with a site, a group, an informant, an interview and a criterion."""
    from bsbstudio.evaluations.models import Evaluation, Site
    from bsbstudio.fieldwork.models import Informant, Interview, SamplingCriterion
    from bsbstudio.guide.models import InformantGroup

    evaluation = Evaluation.objects.create(name="Annen", slug="annen")
    site = Site.objects.create(evaluation=evaluation, name="Vest")
    group = InformantGroup.objects.create(evaluation=evaluation, code="B", name="Brukere")
    Informant.objects.create(evaluation=evaluation, code="X-01", group=group, site=site)
    Interview.objects.create(evaluation=evaluation, code="X1", kind="individual")
    SamplingCriterion.objects.create(
        evaluation=evaluation, attribute="gender", value="mann", target=2
    )
    return evaluation

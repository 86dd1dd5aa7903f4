"""Fixtures for the theme guide pages: the leader's client, a coded quote, a second evaluation."""

from __future__ import annotations

import pytest

TEXT = "D1: Det tok lang tid før de kom. D2: Jeg ble møtt med respekt av teamet."


@pytest.fixture
def leader(evaluation, client_as):
    return client_as("process_leader")


@pytest.fixture
def leader_user(evaluation, django_user_model):
    return django_user_model.objects.get(username="process_leader")


@pytest.fixture
def themes(evaluation):
    """The fixture evaluation's two themes by name: 'Tilgang' and 'Å bli møtt'."""
    return {theme.name: theme for theme in evaluation.themes.all()}


@pytest.fixture
def deidentified(evaluation):
    """A de-identified text of interview FG1, made directly through the models."""
    from bsbstudio.transcripts.models import DeidentifiedText, Transcript

    transcript = Transcript.objects.create(
        interview=evaluation.interviews.get(code="FG1"), raw_text=TEXT
    )
    return DeidentifiedText.objects.create(transcript=transcript, text=TEXT)


@pytest.fixture
def code_quote(leader_user, deidentified):
    """Code a quote of the de-identified text to a theme's analysis code."""
    from bsbstudio.analysis.actions import code_segment

    def code(theme, quote: str):
        start = deidentified.text.index(quote)
        return code_segment(
            leader_user, deidentified, theme.code, start, start + len(quote), "critical", "direct"
        )

    return code


@pytest.fixture
def other_evaluation(db):
    """A second evaluation with its own guide; nobody is a member of it yet."""
    from bsbstudio.analysis.actions import sync_guide_codes
    from bsbstudio.evaluations.models import Evaluation
    from bsbstudio.guide.models import GuideQuestion, InformantGroup, Theme

    other = Evaluation.objects.create(name="Tidligere evaluering", slug="tidligere")
    users = InformantGroup.objects.create(evaluation=other, code="B", name="Brukere", order=0)
    relatives = InformantGroup.objects.create(evaluation=other, code="P", name="Pårørende", order=1)
    housing = Theme.objects.create(evaluation=other, name="Bolig", order=0)
    Theme.objects.create(evaluation=other, name="Nabolag", parent=housing, order=1)
    Theme.objects.create(evaluation=other, name="Tilgang", order=2)
    GuideQuestion.objects.create(
        theme=housing, group=users, text="Hvordan bor du?", subquestions="Trygt?\nLenge?"
    )
    GuideQuestion.objects.create(theme=housing, group=relatives, text="Hvordan bor hun?")
    sync_guide_codes(other)
    return other


@pytest.fixture
def join():
    """Make a user a member of an evaluation, with a role."""
    from bsbstudio.accounts.models import Membership

    def add(user, evaluation, role="process_leader"):
        Membership.objects.create(evaluation=evaluation, user=user, role=role)

    return add


@pytest.fixture(autouse=True)
def _english(client, settings):
    """Pages in English, so the messages tested stay the same when bokmål texts are added."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

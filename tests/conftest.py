"""Shared fixtures: a small evaluation with a member in each role, built through the models."""

from __future__ import annotations

import datetime

import pytest


@pytest.fixture
def make_user(django_user_model):
    """Create a user with a usable password (``pw-<username>``)."""

    def make(username: str, **extra):
        return django_user_model.objects.create_user(
            username=username, password=f"pw-{username}", **extra
        )

    return make


@pytest.fixture
def evaluation(db, make_user):
    """An evaluation with two sites, two groups, two themes, informants and one interview."""
    from bsbstudio.accounts.confidentiality import sign
    from bsbstudio.accounts.models import Membership, Role
    from bsbstudio.analysis.actions import sync_guide_codes
    from bsbstudio.evaluations.models import Evaluation, Goal, ProblemStatement, Site
    from bsbstudio.fieldwork.models import Informant, Interview, Participation
    from bsbstudio.guide.models import GuideQuestion, InformantGroup, Theme

    evaluation = Evaluation.objects.create(
        name="Testevaluering", slug="test", commissioner="Testby kommune"
    )
    north = Site.objects.create(evaluation=evaluation, name="Nord", order=0)
    Site.objects.create(evaluation=evaluation, name="Sør", order=1)
    Goal.objects.create(
        evaluation=evaluation, text="Raskt første besøk", source_document="Plan", page=3
    )
    ProblemStatement.objects.create(evaluation=evaluation, text="Hvordan oppleves tilgangen?")
    users = InformantGroup.objects.create(evaluation=evaluation, code="B", name="Brukere", order=0)
    staff = InformantGroup.objects.create(evaluation=evaluation, code="A", name="Ansatte", order=1)
    access = Theme.objects.create(evaluation=evaluation, name="Tilgang", order=0)
    respect = Theme.objects.create(evaluation=evaluation, name="Å bli møtt", order=1)
    for theme in (access, respect):
        for group in (users, staff):
            GuideQuestion.objects.create(theme=theme, group=group, text=f"Spørsmål om {theme.name}")
    sync_guide_codes(evaluation)
    for role in Role.values:
        member = make_user(role)
        Membership.objects.create(evaluation=evaluation, user=member, role=role)
        sign(member, evaluation, f"Test {role}")
    make_user("outsider")
    b1 = Informant.objects.create(evaluation=evaluation, code="B-01", group=users, site=north)
    a1 = Informant.objects.create(evaluation=evaluation, code="A-01", group=staff, site=north)
    interview = Interview.objects.create(
        evaluation=evaluation,
        code="FG1",
        kind="focus_group",
        site=north,
        date=datetime.date(2026, 3, 1),
    )
    Participation.objects.create(interview=interview, informant=b1, speaker_code="D1")
    Participation.objects.create(interview=interview, informant=a1, speaker_code="D2")
    return evaluation


@pytest.fixture
def verified_client(client):
    """Log a client in as ``user`` with two-factor login done, as after the real log-in pages.

    Gives the user a confirmed authenticator app (TOTP) and marks the session verified by it the
    way ``django_otp.login`` does. Pass ``client`` to log in another Client than the default one.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def log_in(user, client=client):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test app", confirmed=True)
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return log_in


@pytest.fixture
def client_as(verified_client, django_user_model):
    """Log the test client in as the user named like a role ('process_leader', 'outsider', ...).

    The session has passed two-factor login, as every role that sees raw material must.
    """

    def login(username: str):
        return verified_client(django_user_model.objects.get(username=username))

    return login


@pytest.fixture
def as_user(db, django_user_model, settings, verified_client):
    """A fresh two-factor-verified client per person (a test may act as several), in English.

    Pages come in English by default because tests assert English messages; pass "nb" to see
    the bokmål pages.
    """
    from django.test import Client

    def login(username: str, language: str = "en") -> Client:
        client = verified_client(django_user_model.objects.get(username=username), Client())
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return login


@pytest.fixture
def user(django_user_model):
    """Look a user up by username (the role names of the ``evaluation`` fixture)."""
    return lambda username: django_user_model.objects.get(username=username)


TRANSCRIPT = (
    "I: Velkommen. Hvordan har det vært å få hjelp fra teamet?\n"
    "D1: Altså … det tok lang tid før de kom første gang. Tre måneder, liksom.\n"
    "D2: Vi i teamet har for få folk, det er sant. Ring meg på 41 22 87 56 om dere lurer.\n"
    "D1: Men når de først kom, ble jeg møtt med respekt. Det betyr mye.\n"
)


@pytest.fixture
def transcript_text() -> str:
    """A short transcript with speaker codes and one phone number to hide."""
    return TRANSCRIPT


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing strength is Django's business; tests use the fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _each_test_starts_in_bokmal():
    """A request in English activates English in this thread; the next test must not inherit it."""
    from django.utils import translation

    translation.activate("nb")
    yield
    translation.deactivate()

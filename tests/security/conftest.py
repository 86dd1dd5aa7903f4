"""Fixtures for the security tests: a raw transcript, authenticator codes, a fresh client."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.oath import totp


def _app_code(device, steps_ahead: int = 0) -> str:
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{value:0{device.digits}d}"


@pytest.fixture
def app_code():
    """The six-digit code a device's app shows now (or ``steps_ahead`` 30-second steps on)."""
    return _app_code


@pytest.fixture
def wrong_code():
    """A six-digit code the device's app does not show within the accepted window."""

    def wrong(device) -> str:
        valid = {_app_code(device, steps) for steps in (-1, 0, 1)}
        return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)

    return wrong


@pytest.fixture
def transcript(evaluation, transcript_text, django_user_model):
    """A raw transcript of the fixture's interview."""
    from bsbstudio.transcripts.actions import import_transcript
    from bsbstudio.transcripts.engine import parse_text

    leader = django_user_model.objects.get(username="process_leader")
    interview = evaluation.interviews.get(code="FG1")
    return import_transcript(leader, interview, parse_text(transcript_text, "fg1.txt"), "fg1.txt")


@pytest.fixture
def browser_client() -> Client:
    """A client that logs in through the pages, in English (the msgids)."""
    client = Client()
    client.cookies["django_language"] = "en"
    return client

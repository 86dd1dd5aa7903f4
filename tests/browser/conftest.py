"""Browser tests: Playwright driving Debian's Chromium against the live test server."""

from __future__ import annotations

import os
import shutil
import time

import pytest

CHROMIUM = os.environ.get("BSB_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (skipped where Chromium is not installed)."""
    if not shutil.which(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    # Playwright's sync API runs an event loop in this thread; Django's ORM is used beside it
    # from the same thread in the tests, which is safe here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors; the test fails if any occurred."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"console errors: {errors}"


@pytest.fixture
def wait_until():
    """Poll a JavaScript expression on a page until it is true.

    Playwright's ``wait_for_function`` runs its expression through ``eval`` inside the page,
    which the app's Content-Security-Policy refuses (no 'unsafe-eval'); ``page.evaluate`` is not
    subject to the page's policy.
    """

    def wait(page, expression: str, timeout_s: float = 15):
        deadline = time.monotonic() + timeout_s
        while not page.evaluate(expression):
            if time.monotonic() > deadline:
                raise AssertionError(f"still false after {timeout_s} s: {expression}")
            page.wait_for_timeout(50)

    return wait


@pytest.fixture
def log_in_as(page, live_server, verified_client):
    """Give ``page`` the session of a fixture user (two-factor login done), in English."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    def log_in(username: str):
        client = verified_client(get_user_model().objects.get(username=username), Client())
        page.context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                },
                {"name": "django_language", "value": "en", "url": live_server.url},
            ]
        )
        return page

    return log_in


CODED_QUOTE = "det tok lang tid før de kom første gang. Tre måneder, liksom."


@pytest.fixture
def coded_quote(transactional_db, evaluation, transcript_text, verified_client):
    """FG1's transcript de-identified and approved, with CODED_QUOTE coded to "Tilgang"."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from bsbstudio.analysis.actions import code_segment, locate_quote
    from bsbstudio.transcripts.actions import approve_text

    leader = get_user_model().objects.get(username="process_leader")
    client = verified_client(leader, Client())
    interview = evaluation.interviews.get(code="FG1")
    client.post(
        reverse("transcripts:upload", args=[evaluation.slug, interview.pk]),
        {"text": transcript_text},
    )
    transcript = interview.transcripts.get()
    client.post(
        reverse("deid:review", args=[evaluation.slug, transcript.pk]),
        {"confirm_rest": "1", "create_text": "1"},
    )
    text = transcript.deidentified_texts.get()
    approve_text(leader, text)
    start, end = locate_quote(text.text, CODED_QUOTE)
    code = evaluation.codes.get(name="Tilgang")
    return code_segment(leader, text, code, start, end, "critical", "direct")

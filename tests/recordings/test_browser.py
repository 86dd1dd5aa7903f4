"""In Chromium: upload with the progress script, then play and seek (206 answers) in the player.

Marked ``browser`` like tests/browser; skipped where Chromium is not installed. It fails on any
console error. The database is prepared before the browser starts and not touched after: under
Playwright's sync API the test body gets a database connection of its own that nothing closes.
"""

from __future__ import annotations

import datetime
import os
import shutil

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from .conftest import wav_bytes

pytestmark = pytest.mark.browser
CHROMIUM = os.environ.get("BSB_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture
def session_cookie(transactional_db, evaluation, recordings_root):
    """The interview held three days ago, and a logged-in peer interviewer's session cookie."""
    interview = evaluation.interviews.get(code="FG1")
    interview.date = timezone.localdate() - datetime.timedelta(days=3)
    interview.save()
    client = Client()
    client.force_login(get_user_model().objects.get(username="peer_interviewer"))
    return interview.pk, client.cookies["sessionid"].value


@pytest.fixture
def page(session_cookie, live_server):
    """A Chromium page, logged in, in English; the test fails if the page logs an error."""
    if not shutil.which(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context()
        context.add_cookies(
            [
                {"name": "sessionid", "value": session_cookie[1], "url": live_server.url},
                {"name": "django_language", "value": "en", "url": live_server.url},
            ]
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
        browser.close()
    assert not errors, f"console errors: {errors}"


def test_upload_with_progress_then_play_and_seek(
    session_cookie, page, live_server, tmp_path, settings
):
    interview_url = f"{live_server.url}/e/test/fieldwork/interviews/{session_cookie[0]}/"
    sound = tmp_path / "fg1.wav"
    sound.write_bytes(wav_bytes(8000 * 20))  # 20 seconds of silence

    page.goto(interview_url)
    page.get_by_label("Sound file").set_input_files(str(sound))
    page.get_by_role("button", name="Upload recording").click()
    page.get_by_text("was added").wait_for()
    assert page.locator(".recording-list li").count() == 1

    page.get_by_role("link", name="Listen (restricted)").click()
    audio = "document.getElementById('recording-audio')"
    page.wait_for_function(f"{audio}.readyState >= 1")
    assert page.evaluate(f"{audio}.duration") == pytest.approx(20, abs=0.1)
    page.get_by_role("button", name="Forward 5 seconds").click()
    page.wait_for_function(f"{audio}.currentTime >= 4.9")
    page.evaluate(f"{audio}.currentTime = 12")  # a seek: the browser asks for a byte range
    page.wait_for_function(f"{audio}.readyState >= 2 && {audio}.currentTime >= 11.9")

    # Too big for the limit: the script says so at once, and sends nothing.
    settings.MAX_AUDIO_BYTES = 1000
    page.goto(interview_url)
    page.get_by_label("Sound file").set_input_files(str(sound))
    page.get_by_role("button", name="Upload recording").click()
    page.get_by_text("The file is larger than").wait_for()
    page.reload()
    assert page.locator(".recording-list li").count() == 1

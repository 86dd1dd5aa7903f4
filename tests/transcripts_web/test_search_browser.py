"""The search script in a real browser: filter, <mark>, the live region, no console errors.

Playwright runs in a thread of its own, so this test works beside the session-wide browser of
``tests/browser`` (the sync API refuses to start inside another running Playwright loop).
"""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import Client

from .conftest import upload, url

pytestmark = pytest.mark.browser
CHROMIUM = os.environ.get("BSB_CHROMIUM", "/usr/bin/chromium")
VISIBLE = "document.querySelectorAll('#transcript-turns .turn:not([hidden])').length === {n}"
STATUS = "document.getElementById('transcript-search-status').textContent === '{text}'"


def drive(address: str, base: str, session_id: str) -> dict:
    """Search the page as a person would; return what the page showed and any console errors."""
    from playwright.sync_api import sync_playwright

    seen: dict = {"errors": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context()
        context.add_cookies([{"name": "sessionid", "value": session_id, "url": base}])
        page = context.new_page()
        page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: seen["errors"].append(str(error)))
        page.goto(address)
        seen["turns"] = page.locator("#transcript-turns .turn").count()
        box = page.get_by_role("searchbox", name="Search in this transcript")
        box.press_sequentially("RESPEKT")
        page.wait_for_function(VISIBLE.format(n=1))
        seen["marks"] = page.locator("mark.transcript-hit").all_inner_texts()
        page.wait_for_function(STATUS.format(text="1 turn matches."))
        seen["url"] = page.url
        # Clear the words and pick a speaker: both D1 turns show, and no marks are left.
        box.fill("")
        page.get_by_role("combobox", name="Speaker").select_option("D1")
        page.wait_for_function(VISIBLE.format(n=2))
        seen["marks_after"] = page.locator("mark.transcript-hit").count()
        page.wait_for_function(STATUS.format(text="2 turns match."))
        seen["text"] = page.locator("#transcript-turns").inner_text()
        browser.close()
    return seen


def test_typing_filters_and_marks_turns_and_announces_the_count(
    transactional_db, evaluation, interview, client_as, transcript_text, live_server
):
    if not shutil.which(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    upload(client_as("process_leader"), evaluation, interview, text=transcript_text)
    transcript = interview.transcripts.get()
    session = Client()
    session.force_login(transcript.created_by)
    address = live_server.url + url("transcripts:raw", evaluation, transcript.pk)
    with ThreadPoolExecutor(max_workers=1) as pool:
        seen = pool.submit(
            drive, address, live_server.url, session.cookies["sessionid"].value
        ).result(timeout=120)
    assert seen["errors"] == []
    assert seen["turns"] == 4
    assert seen["marks"] == ["respekt"]
    assert "q=RESPEKT" in seen["url"]
    assert seen["marks_after"] == 0
    assert "Tre måneder, liksom." in seen["text"]

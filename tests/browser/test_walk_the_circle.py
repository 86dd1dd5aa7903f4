"""A process leader logs in, opens the demo evaluation, codes a quote and downloads the report."""

from __future__ import annotations

import io
from base64 import b32decode
from pathlib import Path

import docx
import pytest
from django_otp.oath import totp

from bsbstudio.demo.loader import DATA_DIR, demo_user, load_file

pytestmark = pytest.mark.browser
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "images" / "dashboard.png"


@pytest.fixture
def demo(transactional_db):
    user = demo_user("demo", "demo-passord-123")
    load_file(DATA_DIR / "ambulant_team.yaml", user)
    return user


def log_in(page, live_server):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Brukernavn").fill("demo")
    page.get_by_label("Passord").fill("demo-passord-123")
    page.locator("main").get_by_role("button", name="Logg inn").click()
    # A process leader sees raw material: the first log-in sets up two-factor login, with the
    # code an authenticator app would compute from the key shown on the page.
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    page.get_by_label("Kode").fill(f"{totp(b32decode(secret)):06d}")
    page.get_by_role("button", name="Bekreft").click()
    page.get_by_role("link", name="Jeg har skrevet dem ned, fortsett").click()


def test_code_a_quote_and_download_the_process_report(page, live_server, demo):
    log_in(page, live_server)
    page.get_by_role("link", name="Brukerevaluering av Vardeteamet").click()
    page.get_by_role("heading", name="BSB-sirkelen").wait_for()
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))

    # Open the matrix, then a de-identified transcript, and code a quote by selecting it.
    page.get_by_role("link", name="Matrise").first.click()
    page.get_by_role("link", name="FG1").click()
    turn = page.locator(".turn-text").nth(4)
    box = turn.bounding_box()
    page.mouse.move(box["x"] + 2, box["y"] + 8)
    page.mouse.down()
    page.mouse.move(box["x"] + 260, box["y"] + 8, steps=8)
    page.mouse.up()
    quote = page.get_by_role("textbox", name="Sitat", exact=True).input_value()
    assert len(quote) > 5
    assert page.locator("#id_start").input_value() != ""
    page.locator("#id_code").select_option(label="Å bli møtt")
    page.locator("input[name=polarity][value=critical]").check()
    page.get_by_role("button", name="Lagre koding").click()
    page.get_by_text("Sitatet ble kodet").wait_for()
    assert page.locator(".quote-list blockquote", has_text=quote[:20]).count() >= 1

    # Open the site's process report (the demo started it; it is a draft) and download it.
    page.get_by_role("link", name="Rapporter").first.click()
    page.get_by_role("link", name="Endre", exact=True).first.click()
    page.get_by_label("Hovedpunkter").first.fill("Brukerne venter for lenge på første besøk.")
    page.get_by_role("button", name="Lagre rapporten").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Last ned (Word)").first.click()
    path = download_info.value.path()
    document = docx.Document(io.BytesIO(Path(path).read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Brukerne venter for lenge på første besøk." in text


def test_pages_switch_to_english(page, live_server, demo):
    log_in(page, live_server)
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Bytt språk").click()
    page.get_by_role("heading", name="Evaluations").wait_for()

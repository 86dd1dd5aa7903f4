"""Upload a recording with the progress script, then play and seek it (206 answers)."""

from __future__ import annotations

import datetime
import io
import wave

import pytest
from django.utils import timezone

pytestmark = pytest.mark.browser


def silence(seconds: int) -> bytes:
    """A real WAV file of ``seconds`` of silence (8 kHz mono)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 8000 * seconds)
    return buffer.getvalue()


def test_upload_with_progress_then_play_and_seek(
    transactional_db, evaluation, log_in_as, live_server, tmp_path, settings, wait_until
):
    settings.RECORDINGS_ROOT = tmp_path / "recordings"
    interview = evaluation.interviews.get(code="FG1")
    interview.date = timezone.localdate() - datetime.timedelta(days=3)
    interview.save(update_fields=["date"])
    page = log_in_as("peer_interviewer")
    interview_url = f"{live_server.url}/e/test/fieldwork/interviews/{interview.pk}/"
    sound = tmp_path / "fg1.wav"
    sound.write_bytes(silence(20))

    page.goto(interview_url)
    page.get_by_label("Sound file").set_input_files(str(sound))
    page.get_by_role("button", name="Upload recording").click()
    page.get_by_text("was added").wait_for()
    assert page.locator(".recording-list li").count() == 1

    page.get_by_role("link", name="Listen (restricted)").click()
    audio = "document.getElementById('recording-audio')"
    wait_until(page, f"{audio}.readyState >= 1")
    assert page.evaluate(f"{audio}.duration") == pytest.approx(20, abs=0.1)
    page.get_by_role("button", name="Forward 5 seconds").click()
    wait_until(page, f"{audio}.currentTime >= 4.9")
    page.evaluate(f"{audio}.currentTime = 12")  # a seek: the browser asks for a byte range
    wait_until(page, f"{audio}.readyState >= 2 && {audio}.currentTime >= 11.9")

    # Too big for the limit: the script says so at once, and sends nothing.
    settings.MAX_AUDIO_BYTES = 1000
    page.goto(interview_url)
    page.get_by_label("Sound file").set_input_files(str(sound))
    page.get_by_role("button", name="Upload recording").click()
    page.get_by_text("The file is larger than").wait_for()
    page.reload()
    assert page.locator(".recording-list li").count() == 1

"""The plain-Python rules: accepted formats by content, deletion deadlines, byte ranges."""

from __future__ import annotations

import datetime

import pytest

from bsbstudio.fieldwork.recordings import engine

from .conftest import AUDIO_SAMPLES

D = datetime.date


@pytest.mark.parametrize(
    ("held", "uploaded", "days", "expected"),
    [
        (D(2026, 3, 1), D(2026, 3, 2), 60, D(2026, 4, 30)),  # from the interview date
        (None, D(2026, 3, 2), 60, D(2026, 5, 1)),  # no date: from the upload
        (D(2026, 6, 1), D(2026, 3, 2), 60, D(2026, 5, 1)),  # a future date never lengthens it
        (D(2026, 3, 1), D(2026, 3, 1), 0, D(2026, 3, 1)),
    ],
)
def test_deletion_deadline(held, uploaded, days, expected):
    assert engine.deletion_deadline(held, uploaded, days) == expected


@pytest.mark.parametrize(
    ("delete_by", "approved", "expected"),
    [
        (D(2026, 4, 30), None, D(2026, 4, 30)),
        (D(2026, 4, 30), D(2026, 3, 20), D(2026, 3, 20)),  # approval brings it forward
        (D(2026, 4, 30), D(2026, 5, 10), D(2026, 4, 30)),  # never pushes it back
    ],
)
def test_effective_deadline(delete_by, approved, expected):
    assert engine.effective_deadline(delete_by, approved) == expected


def test_due_on_the_day_and_after():
    assert engine.is_due(D(2026, 3, 12), D(2026, 3, 12))
    assert engine.is_due(D(2026, 3, 11), D(2026, 3, 12))
    assert not engine.is_due(D(2026, 3, 13), D(2026, 3, 12))


@pytest.mark.parametrize(
    ("header", "size", "expected"),
    [
        (None, 100, None),
        ("", 100, None),
        ("bytes=0-", 100, (0, 99)),
        ("bytes=0-9", 100, (0, 9)),
        ("bytes=10-", 100, (10, 99)),
        ("bytes=90-200", 100, (90, 99)),  # an end past the file is cut to the file
        ("bytes=-10", 100, (90, 99)),  # the last ten bytes
        ("bytes=-500", 100, (0, 99)),
        ("BYTES = 5 - 6", 100, (5, 6)),
        ("items=0-9", 100, None),  # another unit: ignored
        ("bytes=0-9,20-29", 100, None),  # several ranges: the whole file
        ("bytes=9-0", 100, None),  # invalid: ignored
        ("bytes=abc", 100, None),
        ("bytes=-", 100, None),
    ],
)
def test_parse_range(header, size, expected):
    result = engine.parse_range(header, size)
    assert (None if result is None else (result.start, result.end)) == expected


@pytest.mark.parametrize(
    ("header", "size"), [("bytes=100-", 100), ("bytes=-0", 100), ("bytes=0-", 0)]
)
def test_unsatisfiable_range(header, size):
    with pytest.raises(engine.RangeNotSatisfiable):
        engine.parse_range(header, size)


def test_content_range_and_length():
    byte_range = engine.parse_range("bytes=10-19", 100)
    assert byte_range.length == 10
    assert byte_range.content_range(100) == "bytes 10-19/100"


@pytest.mark.parametrize(
    ("extension", "content_type"),
    [
        ("wav", "audio/wav"),
        ("mp3", "audio/mpeg"),
        ("m4a", "audio/mp4"),
        ("ogg", "audio/ogg"),
        ("flac", "audio/flac"),
    ],
)
def test_sniff_accepted_formats(extension, content_type):
    found = engine.sniff_audio(AUDIO_SAMPLES[extension])
    assert (found.extension, found.content_type) == (extension, content_type)


def test_sniff_m4a_with_a_generic_mp4_brand():
    head = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 50
    assert engine.sniff_audio(head).extension == "m4a"


@pytest.mark.parametrize(
    "head",
    [
        b"This is a text file renamed to .mp3\n" * 10,
        b"%PDF-1.7\n" + b"\x00" * 100,
        b"MThd\x00\x00\x00\x06" + b"\x00" * 20,  # MIDI is audio to filetype, but not a recording
        b"",
    ],
)
def test_sniff_rejects_what_is_not_a_recording(head):
    assert engine.sniff_audio(head) is None


def test_messages_name_the_file_and_the_limit():
    assert "intervju.mp3" in engine.not_audio("intervju.mp3").message
    assert "larger than 2048 MB" in engine.too_large("a.wav", 2048 * 1024 * 1024).message
    assert engine.too_large(None, 1024 * 1024).message.startswith("The file is larger than 1 MB")
    assert engine.format_megabytes(1000) == "0.00095"


def test_engine_imports_without_django():
    import subprocess
    import sys

    code = (
        "import sys; import bsbstudio.fieldwork.recordings.engine; "
        "sys.exit(1 if 'django' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0

"""The rules of recordings, in plain Python without Django.

- which sound files are taken, judged by their first bytes (``sniff_audio``), never by the file
  name or the browser's word for it;
- when a recording must be deleted (``deletion_deadline``, ``effective_deadline``);
- which part of a file a browser asks for (``parse_range``), so the audio player can seek;
- whether a file really holds sound, and how long it plays (``audio_duration``, with mutagen).

The errors a person sees are ``RecordingError`` with English templates marked for translation; the
Django side translates them (``bsbstudio.web.messages.user_message``).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import filetype
import mutagen

from bsbstudio.errors import UserFacingError, gettext_noop

#: How many leading bytes ``sniff_audio`` needs (``filetype`` reads at most this many).
HEAD_BYTES = 8192


@dataclass(frozen=True)
class AudioFormat:
    """A sound format BSB Studio takes: the extension it is stored with and its MIME type."""

    extension: str
    content_type: str


#: The formats taken, by the extension ``filetype`` reports. The MIME types are the standard ones
#: browsers play (``filetype`` says ``audio/x-wav`` and ``audio/x-flac``).
AUDIO_FORMATS: dict[str, AudioFormat] = {
    "wav": AudioFormat("wav", "audio/wav"),
    "mp3": AudioFormat("mp3", "audio/mpeg"),
    "m4a": AudioFormat("m4a", "audio/mp4"),
    "ogg": AudioFormat("ogg", "audio/ogg"),
    "flac": AudioFormat("flac", "audio/flac"),
}

# Phone recorders often save .m4a files under a generic MPEG-4 brand rather than "M4A ", which
# ``filetype`` then calls video. They are the same container and play in an <audio> element.
_GENERIC_MP4_BRANDS = {b"isom", b"iso2", b"mp41", b"mp42", b"M4B "}


def sniff_audio(head: bytes) -> AudioFormat | None:
    """The format of a file from its first bytes, or None if it is not a sound file we take."""
    kind = filetype.audio_match(bytes(head[:HEAD_BYTES]))
    if kind is not None:
        return AUDIO_FORMATS.get(kind.extension)
    if len(head) >= 12 and head[4:8] == b"ftyp" and bytes(head[8:12]) in _GENERIC_MP4_BRANDS:
        return AUDIO_FORMATS["m4a"]
    return None


def audio_duration(path) -> float | None:
    """How many seconds the sound file at ``path`` plays, or None if no sound can be read from it.

    The first bytes say which format a file claims to be; a file of 10 bytes that starts like an
    MP3 is still not a recording. mutagen reads the stream's own headers (MPEG frames, the WAV
    data chunk, FLAC's stream info, the MP4 movie header, Ogg pages) and works out the length;
    a file without them, or with a length of nothing, is refused.
    """
    try:
        audio = mutagen.File(path)
        length = audio.info.length if audio is not None else None
    except Exception:  # mutagen raises many kinds of error for a broken file; all mean "no"
        return None
    if not isinstance(length, int | float) or not length > 0 or length == float("inf"):
        return None
    return float(length)


def deletion_deadline(
    held_on: datetime.date | None, uploaded_on: datetime.date, max_days: int
) -> datetime.date:
    """The last day a recording may exist: ``max_days`` after the interview.

    Without an interview date, the clock starts at the upload. A date after the upload cannot be
    the day the interview was held (it was recorded before it was uploaded), so the earlier of
    the two counts: a wrongly typed future date never lengthens the time a recording is kept.
    """
    start = uploaded_on if held_on is None else min(held_on, uploaded_on)
    return start + datetime.timedelta(days=max_days)


def effective_deadline(
    delete_by: datetime.date, approved_on: datetime.date | None
) -> datetime.date:
    """The deadline that applies now: the stored one, or the approval day if that came first.

    Once the de-identified transcript is approved the recording has done its work, and the
    participants were promised it would not be kept longer than needed.
    """
    if approved_on is None or approved_on > delete_by:
        return delete_by
    return approved_on


def is_due(deadline: datetime.date, today: datetime.date) -> bool:
    """Whether a recording with ``deadline`` must be deleted on ``today`` (on the day, or later)."""
    return deadline <= today


class RangeNotSatisfiable(ValueError):
    """The Range header asks only for bytes past the end of the file (HTTP 416)."""


@dataclass(frozen=True)
class ByteRange:
    """One byte range of a file, ``start`` to ``end`` inclusive, as HTTP counts them."""

    start: int
    end: int

    @property
    def length(self) -> int:
        """How many bytes the range holds."""
        return self.end - self.start + 1

    def content_range(self, size: int) -> str:
        """The ``Content-Range`` header value for this range of a file of ``size`` bytes."""
        return f"bytes {self.start}-{self.end}/{size}"


_RANGE = re.compile(r"^\s*(\d*)\s*-\s*(\d*)\s*$")
#: Larger than any file: a position with more digits than this is read as this.
_FAR = 10**18


def _position(digits: str) -> int:
    """A byte position from its digits, without converting thousands of digits to an int.

    Python refuses to convert more than 4,300 digits (and a long conversion takes time); no file
    has more than 18 digits' worth of bytes, so anything longer means "past any end".
    """
    digits = digits.lstrip("0") or "0"
    return _FAR if len(digits) > 18 else int(digits)


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The single byte range a ``Range`` header asks for in a file of ``size`` bytes (RFC 9110).

    None means "send the whole file" (200): no header, another unit, a header that does not
    parse, or several ranges (which would need a multipart answer; a server may ignore Range, and
    browsers' audio players ask for one range at a time). Raises ``RangeNotSatisfiable`` when
    the range starts past the end of the file, which the server answers with 416.
    """
    if not header:
        return None
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or not spec or "," in spec:
        return None
    match = _RANGE.match(spec)
    if not match or match.group(1) == match.group(2) == "":
        return None
    first, last = match.group(1), match.group(2)
    if first == "":  # "-N": the last N bytes
        suffix = _position(last)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable(header)
        return ByteRange(max(0, size - suffix), size - 1)
    start = _position(first)
    if last != "" and _position(last) < start:
        return None  # invalid, so ignored
    if start >= size:
        raise RangeNotSatisfiable(header)
    end = size - 1 if last == "" else min(_position(last), size - 1)
    return ByteRange(start, end)


class RecordingError(UserFacingError):
    """A recording that cannot be taken, with a message for the person who tried."""


def no_file() -> RecordingError:
    """No file came with the form."""
    return RecordingError("no_file", gettext_noop("Choose a sound file first. Nothing was saved."))


def unreadable() -> RecordingError:
    """The upload arrived broken (cut off, or not a proper form)."""
    return RecordingError(
        "unreadable",
        gettext_noop("The upload did not arrive whole. Try again. Nothing was saved."),
    )


def empty_file(filename: str) -> RecordingError:
    """The file has no content."""
    return RecordingError(
        "empty",
        gettext_noop("The file %(filename)s is empty. Nothing was saved."),
        filename=filename,
    )


def not_audio(filename: str) -> RecordingError:
    """The content is not one of the sound formats taken, whatever the file is called."""
    return RecordingError(
        "not_audio",
        gettext_noop(
            "The file %(filename)s is not a sound file BSB Studio can take (wav, mp3, m4a, ogg "
            "or flac). Nothing was saved."
        ),
        filename=filename,
    )


def not_playable(filename: str) -> RecordingError:
    """The file starts like a sound file but holds no sound that can be played."""
    return RecordingError(
        "not_playable",
        gettext_noop(
            "The file %(filename)s has no sound that can be played: it is damaged, cut off or "
            "not a recording. Nothing was saved."
        ),
        filename=filename,
    )


def several_files() -> RecordingError:
    """More than one sound file came in one upload."""
    return RecordingError(
        "several_files",
        gettext_noop("Add one sound file at a time. Nothing was saved."),
    )


def too_large(filename: str | None, limit_bytes: int) -> RecordingError:
    """The file is over the size limit (its name is unknown when refused before reading it)."""
    limit = format_megabytes(limit_bytes)
    if filename:
        return RecordingError(
            "too_large",
            gettext_noop("The file %(filename)s is larger than %(limit)s MB. Nothing was saved."),
            filename=filename,
            limit=limit,
        )
    return RecordingError(
        "too_large",
        gettext_noop("The file is larger than %(limit)s MB. Nothing was saved."),
        limit=limit,
    )


def refused(interview: str, codes: list[str]) -> RecordingError:
    """A participant said no to recording."""
    return RecordingError(
        "refused",
        gettext_noop(
            "Interview %(interview)s cannot have a recording: %(codes)s said no to being "
            "recorded. Nothing was saved."
        ),
        interview=interview,
        codes=", ".join(codes),
    )


def past_deadline(interview: str, deadline: datetime.date) -> RecordingError:
    """The recording would already be past its deletion date."""
    return RecordingError(
        "past_deadline",
        gettext_noop(
            "A recording of interview %(interview)s had to be deleted by %(deadline)s, which has "
            "passed, so it cannot be added now. If the interview's date is wrong, correct it "
            "first. Nothing was saved."
        ),
        interview=interview,
        deadline=deadline,
    )


def transcript_approved(interview: str) -> RecordingError:
    """The transcript is approved, so a recording would be due for deletion at once."""
    return RecordingError(
        "transcript_approved",
        gettext_noop(
            "The transcript of interview %(interview)s is already approved, so its recording is "
            "no longer kept. Nothing was saved."
        ),
        interview=interview,
    )


def storage_failed(filename: str) -> RecordingError:
    """The server could not write the file (a full disk, a missing folder)."""
    return RecordingError(
        "storage_failed",
        gettext_noop(
            "The file %(filename)s could not be stored on the server. Nothing was saved. Try "
            "again, and tell the administrator if it happens again."
        ),
        filename=filename,
    )


def format_megabytes(size_bytes: int) -> str:
    """A size limit in whole megabytes (MiB), or with two digits when under one."""
    megabytes = size_bytes / (1024 * 1024)
    if megabytes >= 1:
        return f"{megabytes:.0f}"
    return f"{megabytes:.2g}"

"""Speech-to-text on faster-whisper (CTranslate2): a sound file -> a draft transcript.

Plain Python without Django. The model is read from a folder only (``local_files_only``), so
nothing is ever downloaded; the voice-activity filter (Silero VAD) ships inside faster-whisper's
wheel. The draft is in the project's transcript format (``CODE: words`` per line) so the import
parser reads it back with the same turns; a new turn starts at each long pause or change of
voice, and words the model is unsure of are marked for the transcriber.
"""

from __future__ import annotations

import json
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bsbstudio.transcripts.engine import split_code

from . import speakers as speaker_separation
from .errors import AudioSilent, AudioUnreadable, Cancelled, ModelMissing

SAMPLE_RATE = 16_000
#: The speaker code of every turn when no speaker separation runs (T for "taler").
DEFAULT_SPEAKER = "T"
#: A silence at least this long (seconds) between two words starts a new turn.
PAUSE_SECONDS = 1.5
#: Words below this probability are marked uncertain.
MIN_PROBABILITY = 0.5
#: The project's language codes -> Whisper's (NB-Whisper knows "nn"; OpenAI Whisper only "no").
WHISPER_LANGUAGES = {"nb": "no", "nn": "nn", "no": "no", "en": "en"}

Progress = Callable[[float, float], "bool | None"]


@dataclass(frozen=True, slots=True)
class Turn:
    """One drafted speaker turn.

    ``start``/``end`` are code-point offsets of the spoken words in ``Draft.text`` (end-exclusive,
    as ``bsb transcript parse`` gives them); ``t0``/``t1`` the time in the audio, in seconds.
    """

    speaker: str
    start: int
    end: int
    t0: float
    t1: float


@dataclass(frozen=True, slots=True)
class Draft:
    """A drafted transcript: ``text`` in transcript format, its ``turns`` and uncertain words.

    ``uncertain`` holds code-point spans ``(start, end)`` of low-confidence words in ``text``.
    """

    text: str
    turns: list[Turn] = field(default_factory=list)
    uncertain: list[tuple[int, int]] = field(default_factory=list)
    duration: float = 0.0
    language: str = ""
    model_name: str = ""

    def to_dict(self) -> dict:
        """Return the JSON shape of ``bsb transcribe --json``."""
        return {
            "text": self.text,
            "turns": [
                {"speaker": t.speaker, "start": t.start, "end": t.end, "t0": t.t0, "t1": t.t1}
                for t in self.turns
            ],
            "uncertain": [list(span) for span in self.uncertain],
            "duration": round(self.duration, 3),
            "language": self.language,
            "model": self.model_name,
        }


@dataclass(frozen=True, slots=True)
class Word:
    """A recognised word with its time and probability."""

    text: str
    t0: float
    t1: float
    probability: float


_models: dict[tuple[str, str, str], object] = {}
_models_lock = threading.Lock()


def resolve_device(device: str = "auto") -> tuple[str, str]:
    """Return ``(device, compute_type)``: CUDA with float16 when CTranslate2 sees a GPU, else CPU int8."""
    if device == "auto":
        import ctranslate2

        try:
            has_gpu = ctranslate2.get_cuda_device_count() > 0
        except Exception:  # a CUDA driver that cannot even be asked counts as none
            has_gpu = False
        device = "cuda" if has_gpu else "cpu"
    return device, ("float16" if device == "cuda" else "int8")


def check_model_dir(model_dir: str | Path) -> Path:
    """Return the model folder, or raise ``ModelMissing`` naming it when it holds no model."""
    folder = Path(model_dir) if model_dir else Path("")
    if not str(model_dir or "") or not folder.is_dir():
        raise ModelMissing(folder=str(model_dir or ""))
    # Without tokenizer.json faster-whisper would fetch one from the internet: refuse instead.
    for name in ("model.bin", "config.json", "tokenizer.json"):
        if not (folder / name).is_file():
            raise ModelMissing(folder=str(folder))
    try:
        json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ModelMissing(folder=str(folder)) from error
    return folder


def load_model(model_dir: str | Path, device: str = "auto"):
    """Return a ``faster_whisper.WhisperModel`` for the folder, loaded once per process."""
    folder = check_model_dir(model_dir)
    device, compute_type = resolve_device(device)
    key = (str(folder.resolve()), device, compute_type)
    with _models_lock:
        if key not in _models:
            from faster_whisper import WhisperModel

            try:
                _models[key] = WhisperModel(
                    str(folder), device=device, compute_type=compute_type, local_files_only=True
                )
            except Exception as error:  # CTranslate2 raises RuntimeError/ValueError on bad files
                raise ModelMissing(folder=str(folder)) from error
        return _models[key]


def decode(audio_path: str | Path):
    """Return the audio as 16 kHz mono float32 samples, or raise ``AudioUnreadable``."""
    from faster_whisper import decode_audio

    path = Path(audio_path)
    if not path.is_file():
        raise AudioUnreadable(filename=path.name)
    try:
        samples = decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    except Exception as error:  # PyAV raises many kinds of errors on damaged files
        raise AudioUnreadable(filename=path.name) from error
    if samples is None or len(samples) == 0:
        raise AudioUnreadable(filename=path.name)
    return samples


def transcribe(
    audio_path: str | Path,
    model_dir: str | Path,
    language: str = "nb",
    *,
    on_progress: Progress | None = None,
    device: str = "auto",
    speakers: int | None = None,
    speaker_codes: Sequence[str] | None = None,
    pause_seconds: float = PAUSE_SECONDS,
    min_probability: float = MIN_PROBABILITY,
    beam_size: int = 5,
) -> Draft:
    """Transcribe ``audio_path`` with the model in ``model_dir`` and return a ``Draft``.

    ``language`` is the output written ("nb" bokmål, "nn" nynorsk); an English-only model is
    run without one. ``on_progress(done_seconds, total_seconds)`` is called as audio is
    processed; returning ``False`` stops the run with ``Cancelled``. ``speakers`` (the number of
    participants) turns on speaker separation, proposing ``speaker_codes`` in order of first
    appearance. Raises ``ModelMissing``, ``AudioUnreadable``, ``AudioSilent`` or ``Cancelled``.
    """
    model = load_model(model_dir, device)
    name = Path(audio_path).name
    samples = decode(audio_path)
    total = len(samples) / SAMPLE_RATE
    report(on_progress, 0.0, total)

    multilingual = bool(getattr(model.model, "is_multilingual", True))
    whisper_language = WHISPER_LANGUAGES.get(language, language) if multilingual else None
    try:
        segments, _info = model.transcribe(
            samples,
            language=whisper_language,
            task="transcribe",
            beam_size=beam_size,
            word_timestamps=True,
            vad_filter=True,
            # The VAD already removed the silences; the model's own no-speech guess would
            # otherwise drop quiet or accented speech it is unsure of.
            no_speech_threshold=None,
        )
        words: list[Word] = []
        for segment in segments:
            for word in segment.words or []:
                text = clean_word(word.word)
                if text:
                    words.append(
                        Word(text, float(word.start), float(word.end), float(word.probability))
                    )
            report(on_progress, min(float(segment.end), total), total)
    except Cancelled:
        raise
    except Exception as error:  # decoding errors inside the model are the file's fault
        raise AudioUnreadable(filename=name) from error
    if not words:
        raise AudioSilent(filename=name)

    groups = split_turns(words, pause_seconds)
    spans = [(group[0].t0, group[-1].t1) for group in groups]
    if speakers and speakers > 1:
        numbers = speaker_separation.cluster_turns(samples, spans, speakers)
        codes = speaker_separation.propose_codes(numbers, valid_codes(speaker_codes))
    else:
        first = valid_codes(speaker_codes)
        codes = [first[0] if first else DEFAULT_SPEAKER] * len(groups)
    report(on_progress, total, total)
    return build_draft(
        groups,
        codes,
        min_probability=min_probability,
        duration=total,
        language=language if multilingual else "en",
        model_name=Path(model_dir).name,
    )


def report(on_progress: Progress | None, done: float, total: float) -> None:
    """Call the progress callback; raise ``Cancelled`` when it returns ``False``."""
    if on_progress is not None and on_progress(round(done, 3), round(total, 3)) is False:
        raise Cancelled()


def clean_word(word: str) -> str:
    """Return a word as written in the text: NFC, inner whitespace and control characters gone."""
    word = unicodedata.normalize("NFC", word)
    return "".join(ch for ch in word if ch.isprintable() and not ch.isspace())


def valid_codes(codes: Sequence[str] | None) -> list[str]:
    """Keep the codes the transcript parser accepts as speaker codes (others become T1, T2...)."""
    out = []
    for index, code in enumerate(codes or []):
        found = split_code(str(code))
        out.append(found[0] if found and not found[1] else f"T{index + 1}")
    return out


def split_turns(words: Sequence[Word], pause_seconds: float) -> list[list[Word]]:
    """Group words into turns, starting a new one at each silence of ``pause_seconds`` or more."""
    groups: list[list[Word]] = []
    for word in words:
        if groups and word.t0 - groups[-1][-1].t1 < pause_seconds:
            groups[-1].append(word)
        else:
            groups.append([word])
    return groups


def build_draft(
    groups: Sequence[Sequence[Word]],
    codes: Sequence[str],
    *,
    min_probability: float,
    duration: float,
    language: str,
    model_name: str,
) -> Draft:
    """Write the turns as ``CODE: words`` lines and record every offset while writing."""
    parts: list[str] = []
    length = 0
    turns: list[Turn] = []
    uncertain: list[tuple[int, int]] = []

    def put(piece: str) -> None:
        nonlocal length
        parts.append(piece)
        length += len(piece)

    for index, (group, code) in enumerate(zip(groups, codes, strict=True)):
        if index:
            put("\n")
        put(f"{code}: ")
        start = length
        for position, word in enumerate(group):
            if position:
                put(" ")
            if word.probability < min_probability:
                uncertain.append((length, length + len(word.text)))
            put(word.text)
        turns.append(Turn(code, start, length, round(group[0].t0, 3), round(group[-1].t1, 3)))
    return Draft(
        text="".join(parts),
        turns=turns,
        uncertain=uncertain,
        duration=duration,
        language=language,
        model_name=model_name,
    )

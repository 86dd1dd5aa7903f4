"""`bsb bench asr`: how fast the local speech-to-text runs on this machine.

Prints the audio length, the wall time, the real-time factor (audio seconds per wall second;
higher is faster), words per second, and the device, compute type and model used. The model is
loaded before the clock starts, so the figure is the transcription alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def register_bench(subparsers) -> None:
    """Add `bsb bench asr`."""
    parser = subparsers.add_parser("asr", help="real-time factor of local speech-to-text")
    parser.add_argument("--model", required=True, help="CTranslate2 Whisper model folder")
    parser.add_argument("--audio", required=True, help="sound file to transcribe")
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    parser.add_argument("--language", choices=["nb", "nn"], default="nb")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.set_defaults(func=bench_command)


def measure(audio: str, model: str, device: str = "auto", language: str = "nb") -> dict:
    """Transcribe ``audio`` once (model loaded beforehand) and return the figures."""
    from .engine import load_model, resolve_device, transcribe

    load_model(model, device)
    started = time.perf_counter()
    draft = transcribe(audio, model, language, device=device)
    wall = time.perf_counter() - started
    words = len(draft.text.split()) - len(draft.turns)  # minus one speaker code per line
    resolved, compute_type = resolve_device(device)
    return {
        "audio_seconds": round(draft.duration, 2),
        "wall_seconds": round(wall, 2),
        "real_time_factor": round(draft.duration / wall, 2) if wall else None,
        "words": words,
        "words_per_second": round(words / wall, 2) if wall else None,
        "device": resolved,
        "compute_type": compute_type,
        "model": Path(model).name,
    }


def bench_command(args: argparse.Namespace) -> int:
    """Run the benchmark and print its figures; errors go to stderr with status 2."""
    from .errors import AsrError

    try:
        figures = measure(args.audio, args.model, args.device, args.language)
    except AsrError as error:
        print(f"bsb bench asr: {error.message}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(figures))
        return 0
    print(
        f"asr: {figures['audio_seconds']} s audio in {figures['wall_seconds']} s wall, "
        f"real-time factor {figures['real_time_factor']}x, "
        f"{figures['words_per_second']} words/s "
        f"({figures['device']}, {figures['compute_type']}, model {figures['model']})"
    )
    return 0

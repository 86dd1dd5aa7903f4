"""`bsb transcribe AUDIO --model DIR`: draft a transcript with local speech-to-text.

Runs only the engine (``bsbstudio.transcripts.asr``): no database, no Django settings, nothing
sent over the network.
"""

from __future__ import annotations

import argparse
import json
import os
import sys


def register(subparsers) -> None:
    """Add `bsb transcribe`."""
    parser = subparsers.add_parser(
        "transcribe",
        help="draft a transcript of a sound file with local speech-to-text",
        description="Transcribe a sound file with a Whisper model in CTranslate2 format read "
        "from a local folder. Prints the draft in transcript format, or JSON with --json.",
    )
    parser.add_argument("audio", help="the sound file (wav, ogg, mp3, m4a, flac)")
    parser.add_argument(
        "--model",
        default=os.environ.get("BSB_ASR_MODEL_DIR", ""),
        help="the model folder (default: $BSB_ASR_MODEL_DIR)",
    )
    parser.add_argument("--language", choices=["nb", "nn"], default="nb", help="output language")
    parser.add_argument(
        "--speakers", type=int, default=None, help="number of speakers to separate (default: none)"
    )
    parser.add_argument(
        "--codes", default="", help="comma-separated speaker codes to propose, e.g. I1,B1"
    )
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    parser.add_argument("--json", action="store_true", help="print the draft as JSON")
    parser.set_defaults(func=transcribe_command)


def transcribe_command(args: argparse.Namespace) -> int:
    """Run `bsb transcribe`; print the draft, or the error on stderr and return 2."""
    from bsbstudio.transcripts.asr import AsrError, transcribe

    codes = [code.strip() for code in args.codes.split(",") if code.strip()] or None
    if args.speakers is not None and args.speakers < 1:
        print("bsb transcribe: --speakers must be 1 or more", file=sys.stderr)
        return 2
    try:
        draft = transcribe(
            args.audio,
            args.model,
            args.language,
            device=args.device,
            speakers=args.speakers,
            speaker_codes=codes,
        )
    except AsrError as error:
        print(f"bsb transcribe: {error.message}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(draft.to_dict(), sys.stdout, ensure_ascii=False)
        print()
    else:
        print(draft.text)
    return 0

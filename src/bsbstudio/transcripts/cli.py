"""`bsb transcript ...`: commands that run the transcript engine without a database."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bsbstudio.transcripts.engine import TranscriptImportError, read_file
from bsbstudio.transcripts.engine.reader import DEFAULT_MAX_BYTES


def register(subparsers) -> None:
    """Add `bsb transcript` and its `parse` subcommand."""
    parser = subparsers.add_parser("transcript", help="work with transcript files")
    commands = parser.add_subparsers(dest="transcript_command", metavar="SUBCOMMAND")
    parse = commands.add_parser(
        "parse",
        help="parse a transcript file into canonical text and speaker turns",
        description="Parse .txt, .docx, .odt, .rtf, .vtt, .srt or Whisper .json into "
        "canonical text and speaker turns. Touches no database.",
    )
    parse.add_argument("file", type=Path, help="the transcript file")
    parse.add_argument("--json", action="store_true", help="print the result as JSON")
    parse.add_argument(
        "--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="refuse larger files"
    )
    parse.add_argument(
        "--allow-no-speakers",
        action="store_true",
        help="accept text without speaker codes (one turn with an empty speaker)",
    )
    parse.set_defaults(func=parse_command)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)


def parse_command(args: argparse.Namespace) -> int:
    """Run `bsb transcript parse`; print the turns, or the error on stderr and return 1."""
    path: Path = args.file
    try:
        size = path.stat().st_size
        if size > args.max_bytes:
            raise TranscriptImportError(
                "too_large", filename=path.name, size_mb=size / 1e6, limit_mb=args.max_bytes / 1e6
            )
        with path.open("rb") as handle:
            data = handle.read(args.max_bytes + 1)
        parsed = read_file(
            data, path.name, args.max_bytes, require_speakers=not args.allow_no_speakers
        )
    except TranscriptImportError as error:
        print(f"bsb transcript parse: {error.message}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"bsb transcript parse: cannot read {path}: {error.strerror}", file=sys.stderr)
        return 1
    if args.json:
        json.dump(parsed.to_dict(), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    speakers = ", ".join(parsed.speakers())
    print(f"{path.name}: {len(parsed.turns)} turns, speakers: {speakers}")
    for turn in parsed.turns:
        spoken = parsed.spoken(turn).replace("\n", " ")
        label = turn.speaker or "(header)"
        print(f"{turn.start:>8} {label:>12}: {spoken[:100]}")
    return 0

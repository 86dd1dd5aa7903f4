"""`bsb deid ...`: detect and redact identifiers, and train the NER model. No database needed."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bsbstudio.errors import UserFacingError, gettext_noop

from .engine import Detector, EvaluationLists, Redactor
from .engine.recognisers.registry import UnknownRecogniser, describe_recognisers

LIST_KEYS = ("people", "places", "organizations", "keep")
MAX_LISTS_BYTES = 1_000_000  # a lists file is names, not text: anything larger is a mistake
MAX_ENTRY_CHARS = 200  # as long as a name to hide may be in the app


def register(subparsers) -> None:
    """Add `bsb deid` with `detect`, `redact`, `recognisers` and `train-ner`."""
    parser = subparsers.add_parser("deid", help="de-identify Norwegian text (avidentifisering)")
    commands = parser.add_subparsers(dest="deid_command", metavar="COMMAND")
    parser.set_defaults(func=lambda args: parser.print_help() or 2)

    detect = commands.add_parser("detect", help="print the identifiers found, as JSON")
    _add_input_options(detect)
    detect.add_argument(
        "--jsonl",
        action="store_true",
        help='read {"id", "text"} lines from standard input, write one line each',
    )
    detect.add_argument(
        "--processes",
        type=int,
        default=1,
        metavar="N",
        help="with --jsonl: spread the texts over N processes (one per CPU core)",
    )
    detect.set_defaults(func=cmd_detect)

    listing = commands.add_parser("recognisers", help="list the recognisers, one line each")
    listing.set_defaults(func=cmd_recognisers)

    redact = commands.add_parser("redact", help="print the text with identifiers replaced")
    _add_input_options(redact)
    redact.add_argument("--mode", choices=("placeholder", "surrogate"), default="placeholder")
    redact.add_argument(
        "--mapping",
        type=Path,
        help="JSON file with the evaluation's mapping; read if present, updated",
    )
    redact.add_argument("--seed", type=int, help="seed for surrogates (reproducible output)")
    redact.set_defaults(func=cmd_redact)

    train = commands.add_parser("train-ner", help="train the NER model on NorNE (CPU)")
    train.add_argument("--norne", type=Path, required=True, help="folder with the NorNE files")
    train.add_argument("--out", type=Path, required=True, help="folder to write the model to")
    train.add_argument("--work", type=Path, help="folder for corpora and checkpoints")
    train.add_argument("--max-steps", type=int, help="override training.max_steps")
    train.add_argument("--threads", type=int, default=1)
    train.add_argument(
        "--lexicon-features",
        action="store_true",
        help="give the model the name statistics and word frequencies as static vectors",
    )
    train.set_defaults(func=cmd_train)


def _add_input_options(parser) -> None:
    parser.add_argument("file", nargs="?", default="-", help="text file, or - for standard input")
    parser.add_argument(
        "--lists", type=Path, help="YAML or JSON file with people, places and organizations lists"
    )
    parser.add_argument("--no-ner", action="store_true", help="rules only, without the model")
    subset = parser.add_mutually_exclusive_group()
    subset.add_argument(
        "--only", type=_names, metavar="NAME[,NAME]", help="run only these recognisers"
    )
    subset.add_argument(
        "--skip", type=_names, metavar="NAME[,NAME]", help="run all recognisers but these"
    )


def _names(value: str) -> list[str]:
    """Split a comma-separated list of recogniser names (see `bsb deid recognisers`)."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError("expected recogniser names, e.g. --only ner,phone")
    return names


def read_text(name: str) -> str:
    """Read a UTF-8 text file (or standard input for ``-``), or raise a UserFacingError."""
    try:
        if name == "-":
            data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
        else:
            data = Path(name).read_bytes()
    except FileNotFoundError:
        raise UserFacingError(
            "file_not_found", gettext_noop("%(filename)s: no such file"), filename=name
        ) from None
    except IsADirectoryError:
        raise UserFacingError(
            "not_a_file", gettext_noop("%(filename)s: is a folder, not a file"), filename=name
        ) from None
    except OSError as error:
        raise UserFacingError(
            "unreadable",
            gettext_noop("%(filename)s: cannot be read (%(error)s)"),
            filename=name,
            error=error.strerror or str(error),
        ) from None
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UserFacingError(
            "not_utf8",
            gettext_noop("%(filename)s: not UTF-8 text (bad byte at position %(position)s)"),
            filename="standard input" if name == "-" else name,
            position=error.start,
        ) from None


def _lists_error(path: Path, template: str, **params: object) -> UserFacingError:
    return UserFacingError("bad_lists", template, filename=str(path), **params)


def load_lists(path: Path | None) -> EvaluationLists:
    """Read evaluation lists from a YAML/JSON file (keys people, places, organizations, keep).

    Each key holds a list of names (or nothing); ``keep`` names words never flagged, such as
    the evaluated service and its units. Anything else is refused with a message.
    """
    if path is None:
        return EvaluationLists()
    import yaml

    text = read_text(str(path))
    if len(text.encode("utf-8")) > MAX_LISTS_BYTES:
        raise _lists_error(
            path,
            gettext_noop("%(filename)s: too large for a lists file (more than %(limit)s bytes)"),
            limit=MAX_LISTS_BYTES,
        )
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise _lists_error(
            path,
            gettext_noop("%(filename)s: not valid YAML (%(error)s)"),
            error=str(error).splitlines()[0],
        ) from None
    if data is None:
        return EvaluationLists()
    if not isinstance(data, dict):
        raise _lists_error(
            path, gettext_noop("%(filename)s: expected keys people, places, organizations, keep")
        )
    unknown = sorted(str(key) for key in data if key not in LIST_KEYS)
    if unknown:
        raise _lists_error(
            path,
            gettext_noop(
                "%(filename)s: unknown key %(key)s (expected people, places, organizations, keep)"
            ),
            key=", ".join(unknown),
        )
    return EvaluationLists(**{key: _entries(path, key, data.get(key)) for key in LIST_KEYS})


def _entries(path: Path, key: str, value: object) -> list[str]:
    """The names under ``key``: a list of non-empty strings of at most MAX_ENTRY_CHARS."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise _lists_error(
            path, gettext_noop("%(filename)s: %(key)s must be a list of names"), key=key
        )
    entries = []
    for number, entry in enumerate(value, start=1):
        if isinstance(entry, (int, float)) and not isinstance(entry, bool):
            entry = str(entry)  # "- 2025" in YAML is a number, and a fine word to keep
        if entry is None:
            entry = ""  # "-" with nothing after it: an empty entry, said so below
        if not isinstance(entry, str):
            raise _lists_error(
                path,
                gettext_noop("%(filename)s: %(key)s, entry %(number)s is not a name"),
                key=key,
                number=number,
            )
        if not entry.strip() or not any(c.isalnum() for c in entry):
            raise _lists_error(
                path,
                gettext_noop("%(filename)s: %(key)s, entry %(number)s is empty"),
                key=key,
                number=number,
            )
        if len(entry) > MAX_ENTRY_CHARS:
            raise _lists_error(
                path,
                gettext_noop(
                    "%(filename)s: %(key)s, entry %(number)s is longer than %(limit)s characters"
                ),
                key=key,
                number=number,
                limit=MAX_ENTRY_CHARS,
            )
        entries.append(entry)
    return entries


def _fail(error: UserFacingError) -> int:
    print(f"bsb deid: {error.message}", file=sys.stderr)
    return 2


def _detector(args) -> Detector:
    """The detector the options ask for; an unknown recogniser name is a UserFacingError."""
    lists = load_lists(args.lists)
    # --only ner asks for the model even with --no-ner beside it: the explicit choice wins
    use_ner = not args.no_ner or "ner" in (args.only or ())
    try:
        return Detector(lists=lists, use_ner=use_ner, only=args.only, skip=args.skip)
    except UnknownRecogniser as error:
        raise UserFacingError(
            "unknown_recogniser",
            gettext_noop("unknown recogniser %(names)s (see `bsb deid recognisers`)"),
            names=", ".join(error.names),
        ) from None


def cmd_recognisers(args) -> int:
    """`bsb deid recognisers`: each recogniser's name and what it finds, one line each."""
    rows = describe_recognisers()
    width = max(len(name) for name, _ in rows)
    for name, line in rows:
        print(f"{name:<{width}}  {line.replace('``', '')}")
    return 0


def cmd_detect(args) -> int:
    """`bsb deid detect`: JSON spans for a file, or JSON lines for --jsonl input."""
    try:
        detector = _detector(args)
        if args.jsonl:
            return _detect_jsonl(detector, args.file, processes=max(1, args.processes))
        text = read_text(args.file)
    except UserFacingError as error:
        return _fail(error)
    spans = detector.detect(text)
    json.dump([s.to_dict() for s in spans], sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _detect_jsonl(detector: Detector, name: str, *, processes: int = 1) -> int:
    """Read every line first (a bad line stops before any output), then detect in order."""
    text = read_text(name)
    label = "standard input" if name == "-" else name
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            doc_id, body = record["id"], record["text"]
            if not isinstance(body, str):
                raise TypeError("text is not a string")
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise UserFacingError(
                "bad_jsonl",
                gettext_noop(
                    '%(filename)s, line %(line)s: expected {"id": ..., "text": ...} (%(error)s)'
                ),
                filename=label,
                line=number,
                error=str(error),
            ) from None
        records.append((doc_id, body))
    found = detector.detect_many((body for _, body in records), processes=processes)
    for (doc_id, _), spans in zip(records, found, strict=True):
        out = [
            s.to_dict(full=False) | ({"category": s.category} if s.category else {}) for s in spans
        ]
        sys.stdout.write(json.dumps({"id": doc_id, "spans": out}, ensure_ascii=False) + "\n")
    return 0


def cmd_redact(args) -> int:
    """`bsb deid redact`: the text with placeholders or surrogates; the mapping kept apart."""
    try:
        text = read_text(args.file)
        mapping = None
        if args.mapping and args.mapping.exists():
            try:
                mapping = json.loads(read_text(str(args.mapping)))
            except json.JSONDecodeError as error:
                raise UserFacingError(
                    "bad_mapping",
                    gettext_noop("%(filename)s: not a JSON mapping (%(error)s)"),
                    filename=str(args.mapping),
                    error=str(error),
                ) from None
        detector = _detector(args)
    except UserFacingError as error:
        return _fail(error)
    redactor = Redactor(mode=args.mode, mapping=mapping, seed=args.seed)
    redacted, mapping = redactor.redact(text, detector.detect(text))
    sys.stdout.write(redacted)
    if args.mapping:
        args.mapping.write_text(json.dumps(mapping, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def cmd_train(args) -> int:
    """`bsb deid train-ner`: train on NorNE train, select on dev, write the model."""
    from .engine.training import train_ner

    try:
        train_ner(
            args.norne,
            args.out,
            work=args.work,
            max_steps=args.max_steps,
            threads=args.threads,
            lexicon_features=args.lexicon_features,
        )
    except FileNotFoundError as error:
        print(f"bsb deid train-ner: missing NorNE files: {error}", file=sys.stderr)
        return 2
    print(f"model written to {args.out}")
    return 0

"""`bsb deid ...`: detect and redact identifiers, and train the NER model. No database needed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bsbstudio.errors import UserFacingError, gettext_noop

from .engine import Detector, EvaluationLists, Redactor


def register(subparsers) -> None:
    """Add `bsb deid` with `detect`, `redact` and `train-ner`."""
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
    detect.set_defaults(func=cmd_detect)

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
    train.set_defaults(func=cmd_train)


def _add_input_options(parser) -> None:
    parser.add_argument("file", nargs="?", default="-", help="text file, or - for standard input")
    parser.add_argument(
        "--lists", type=Path, help="YAML or JSON file with people, places and organizations lists"
    )
    parser.add_argument("--no-ner", action="store_true", help="rules only, without the model")


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


def load_lists(path: Path | None) -> EvaluationLists:
    """Read evaluation lists from a YAML/JSON file (keys people, places, organizations)."""
    if path is None:
        return EvaluationLists()
    import yaml

    try:
        data = yaml.safe_load(read_text(str(path))) or {}
    except yaml.YAMLError as error:
        raise UserFacingError(
            "bad_lists",
            gettext_noop("%(filename)s: not valid YAML (%(error)s)"),
            filename=str(path),
            error=str(error).splitlines()[0],
        ) from None
    if not isinstance(data, dict):
        raise UserFacingError(
            "bad_lists",
            gettext_noop("%(filename)s: expected keys people, places and organizations"),
            filename=str(path),
        )
    return EvaluationLists(
        people=data.get("people"),
        places=data.get("places"),
        organizations=data.get("organizations"),
    )


def _fail(error: UserFacingError) -> int:
    print(f"bsb deid: {error.message}", file=sys.stderr)
    return 2


def _detector(args) -> Detector:
    return Detector(lists=load_lists(args.lists), use_ner=not args.no_ner)


def cmd_detect(args) -> int:
    """`bsb deid detect`: JSON spans for a file, or JSON lines for --jsonl input."""
    try:
        detector = _detector(args)
        if args.jsonl:
            return _detect_jsonl(detector, args.file)
        text = read_text(args.file)
    except UserFacingError as error:
        return _fail(error)
    spans = detector.detect(text)
    json.dump([s.to_dict() for s in spans], sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _detect_jsonl(detector: Detector, name: str) -> int:
    text = read_text(name)
    label = "standard input" if name == "-" else name
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
        spans = [s.to_dict(full=False) for s in detector.detect(body)]
        sys.stdout.write(json.dumps({"id": doc_id, "spans": spans}, ensure_ascii=False) + "\n")
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
            args.norne, args.out, work=args.work, max_steps=args.max_steps, threads=args.threads
        )
    except FileNotFoundError as error:
        print(f"bsb deid train-ner: missing NorNE files: {error}", file=sys.stderr)
        return 2
    print(f"model written to {args.out}")
    return 0

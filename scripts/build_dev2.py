"""Build data/deid/dev2.jsonl (the second development set) from its marked-up source.

The source, data/deid/dev2.src.txt, holds one document per "=== STYLE" header line; identifiers
are marked inline as [[surface|LABEL]] or [[surface|LABEL|direct]] / [[...|quasi]] where the
identifier type differs from the label's default. The output has the layout of the shared
dev.jsonl: {"id", "text", "spans"} with code-point offsets, end exclusive.

    python3 scripts/build_dev2.py            # write dev2.jsonl and print counts
    python3 scripts/build_dev2.py --check    # fail if dev2.jsonl is not what the source gives
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "deid" / "dev2.src.txt"
OUTPUT = ROOT / "data" / "deid" / "dev2.jsonl"

DIRECT_LABELS = {"PERSON", "ID_NUMBER", "PHONE", "EMAIL", "URL"}
QUASI_LABELS = {"LOCATION", "ORGANIZATION", "DATE", "AGE", "QUASI"}
STYLES = ("asr", "nynorsk", "dialect", "focusgroup")
MARK = re.compile(r"\[\[([^\[\]|]+)\|([A-Z_]+)(?:\|(direct|quasi))?\]\]")
HEADER = re.compile(r"^=== (\w+)\s*$")
MIN_WORDS, MAX_WORDS = 120, 250


class SourceError(ValueError):
    """A mistake in the marked-up source, with the document it is in."""


def parse_document(body: str, doc_id: str) -> dict:
    """One document's plain text and gold spans from its marked-up body."""
    text, spans, position = [], [], 0
    length = 0
    for match in MARK.finditer(body):
        plain = body[position : match.start()]
        text.append(plain)
        length += len(plain)
        surface, label, identifier = match.groups()
        if label not in DIRECT_LABELS | QUASI_LABELS:
            raise SourceError(f"{doc_id}: unknown label {label!r}")
        if surface != surface.strip():
            raise SourceError(f"{doc_id}: span {surface!r} has spaces at its edge")
        default = "direct" if label in DIRECT_LABELS else "quasi"
        spans.append(
            {
                "start": length,
                "end": length + len(surface),
                "label": label,
                "identifier": identifier or default,
            }
        )
        text.append(surface)
        length += len(surface)
        position = match.end()
    text.append(body[position:])
    plain_text = "".join(text)
    if "[[" in plain_text or "]]" in plain_text:
        raise SourceError(f"{doc_id}: unbalanced or malformed [[...]] markup")
    words = len(re.findall(r"\w+", plain_text))
    if not MIN_WORDS <= words <= MAX_WORDS:
        raise SourceError(f"{doc_id}: {words} words (expected {MIN_WORDS}-{MAX_WORDS})")
    return {"id": doc_id, "text": plain_text, "spans": spans}


def parse_source(source: str) -> list[tuple[str, dict]]:
    """(style, document) pairs in source order, ids dev2_001 ..."""
    documents: list[tuple[str, list[str]]] = []
    for line in source.splitlines():
        header = HEADER.match(line)
        if header:
            if header.group(1) not in STYLES:
                raise SourceError(f"unknown style {header.group(1)!r}")
            documents.append((header.group(1), []))
        elif documents:
            documents[-1][1].append(line)
        elif line.strip() and not line.startswith("#"):
            raise SourceError("text before the first '=== STYLE' header")
    out = []
    for number, (style, lines) in enumerate(documents, start=1):
        body = "\n".join(lines).strip("\n")
        out.append((style, parse_document(body, f"dev2_{number:03d}")))
    return out


def to_jsonl(documents: list[dict]) -> str:
    """The documents as JSON lines, as dev.jsonl writes them (UTF-8, not escaped)."""
    return "".join(json.dumps(doc, ensure_ascii=False) + "\n" for doc in documents)


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check compare) dev2.jsonl and print its counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    try:
        parsed = parse_source(SOURCE.read_text(encoding="utf-8"))
    except SourceError as error:
        print(f"build_dev2: {error}", file=sys.stderr)
        return 2
    documents = [doc for _, doc in parsed]
    content = to_jsonl(documents)
    if args.check:
        if not OUTPUT.is_file() or OUTPUT.read_text(encoding="utf-8") != content:
            print(
                "build_dev2: dev2.jsonl is out of date; run scripts/build_dev2.py", file=sys.stderr
            )
            return 1
    else:
        OUTPUT.write_text(content, encoding="utf-8")
    labels = Counter(span["label"] for doc in documents for span in doc["spans"])
    identifiers = Counter(span["identifier"] for doc in documents for span in doc["spans"])
    styles = Counter(style for style, _ in parsed)
    words = [len(re.findall(r"\w+", doc["text"])) for doc in documents]
    print(
        f"{len(documents)} documents, {sum(labels.values())} spans, words {min(words)}-{max(words)}"
    )
    print("styles: " + ", ".join(f"{s} {styles[s]}" for s in STYLES))
    print("labels: " + ", ".join(f"{k} {v}" for k, v in sorted(labels.items())))
    print("identifiers: " + ", ".join(f"{k} {v}" for k, v in sorted(identifiers.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())

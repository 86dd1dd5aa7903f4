"""`bsb bench import`: transcript import beside reading the same file with its library alone.

It writes a synthetic two-hour focus-group transcript (about 25,000 words of invented spoken
Norwegian, generated from a fixed seed, nothing committed) as .txt and .docx, or takes the files
given with ``--file``, and times ``read_file`` against the baseline in the same process: a plain
UTF-8 decode for text formats, python-docx opening the document and iterating its paragraphs for
DOCX. The target is under one second per 25,000-word transcript.
"""

from __future__ import annotations

import io
import random
import time
from pathlib import Path

from bsbstudio.transcripts.engine import read_file
from bsbstudio.transcripts.engine.reader import extension

SPEAKERS = ["M", "K", "D1", "D2", "D3", "D4", "D5", "D6", "Deltaker 7"]
OPENERS = ["Ja", "Nei", "Altså", "Mm", "Men", "Og så", "Jeg tenker at", "Det er jo sånn at"]
SUBJECTS = ["jeg", "vi", "de på teamet", "fastlegen", "kontaktpersonen min", "folk", "man"]
VERBS = ["fikk", "trengte", "savnet", "likte", "ventet på", "snakket om", "ble møtt med"]
OBJECTS = [
    "hjelp med boligen",
    "en fast person å ringe",
    "tid til å prate",
    "informasjon om tilbudet",
    "oppfølging etter innleggelsen",
    "respekt",
    "et sted å være på dagtid",
    "hjelp til å søke jobb",
]
TAILS = ["liksom", "på en måte", "egentlig", "da", "…", "(…)", "(?)", "//", "(latter)", "ikke sant"]
QUESTIONS = [
    "Hvordan opplevde dere den første kontakten?",
    "Kan du si litt mer om det?",
    "Hva betydde det for deg?",
    "Hvem tok kontakt først?",
    "Hva kunne vært gjort annerledes?",
]


def synthetic_transcript(words: int = 25_000, seed: int = 4) -> str:
    """Return an invented focus-group transcript of about ``words`` words."""
    rng = random.Random(seed)
    lines = ["Fokusgruppe 1, Eikrem ambulante team (syntetisk)", "Merk: alle navn er oppdiktet", ""]
    count = 0
    while count < words:
        speaker = rng.choice(SPEAKERS)
        if speaker in ("M", "K"):
            turn = rng.choice(QUESTIONS)
        else:
            sentences = []
            for _ in range(rng.randint(1, 6)):
                sentence = (
                    f"{rng.choice(OPENERS)} {rng.choice(SUBJECTS)} {rng.choice(VERBS)} "
                    f"{rng.choice(OBJECTS)} {rng.choice(TAILS)}"
                )
                if rng.random() < 0.05:
                    sentence = sentence.upper()
                sentences.append(sentence + rng.choice([".", "?", " …", "."]))
            turn = " ".join(sentences)
        count += len(turn.split())
        lines.append(f"{speaker}: {turn}")
        if rng.random() < 0.1:
            lines.append("og det var egentlig det, ja.")
    return "\n".join(lines) + "\n"


def synthetic_docx(text: str) -> bytes:
    """Return ``text`` as a DOCX with one paragraph per line (written with python-docx)."""
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def baseline(data: bytes, filename: str) -> object:
    """Read ``data`` with the underlying library alone."""
    if extension(filename) == "docx":
        import docx

        document = docx.Document(io.BytesIO(data))
        return [paragraph.text for paragraph in document.paragraphs]
    if extension(filename) == "odt":
        from odf import opendocument, teletype, text

        document = opendocument.load(io.BytesIO(data))
        return [teletype.extractText(p) for p in document.getElementsByType(text.P)]
    return data.decode("utf-8", errors="replace")


def best_time(function, repeat: int) -> float:
    """Return the best wall time of ``repeat`` calls of ``function``, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def run(args) -> int:
    """Run the benchmark and print one line per file."""
    if args.file:
        files = [(path.name, path.read_bytes()) for path in args.file]
    else:
        text = synthetic_transcript(args.words)
        files = [
            ("fokusgruppe.txt", text.encode("utf-8")),
            ("fokusgruppe.docx", synthetic_docx(text)),
        ]
    print(
        f"{'file':<22}{'words':>8}{'turns':>7}{'kB':>8}{'read_file':>12}{'baseline':>12}"
        f"{'ratio':>8}"
    )
    worst = 0.0
    for name, data in files:
        parsed = read_file(data, name, max(len(data) + 1, 50_000_000))
        ours = best_time(lambda d=data, n=name: read_file(d, n, len(d) + 1), args.repeat)
        base = best_time(lambda d=data, n=name: baseline(d, n), args.repeat)
        worst = max(worst, ours)
        print(
            f"{name:<22}{len(parsed.text.split()):>8}{len(parsed.turns):>7}"
            f"{len(data) / 1000:>8.0f}{ours * 1000:>10.1f}ms{base * 1000:>10.1f}ms"
            f"{ours / base:>7.1f}x"
        )
    print(
        f"best of {args.repeat}; target: under 1 s per 25,000-word transcript "
        f"({'met' if worst < 1.0 else 'NOT met'}: slowest {worst * 1000:.0f} ms)"
    )
    return 0 if worst < 1.0 else 1


def register_bench(bench_subparsers) -> None:
    """Add `bsb bench import`."""
    parser = bench_subparsers.add_parser(
        "import", help="time transcript import against reading with the library alone"
    )
    parser.add_argument("--file", type=Path, action="append", help="time this file instead")
    parser.add_argument("--words", type=int, default=25_000, help="size of the synthetic text")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement")
    parser.set_defaults(func=run)

"""Report benchmarks: the final report of `bsb bench report`, and `bsb bench export`.

`bsb bench export` builds the synthetic evaluation of `bsb bench analysis` (20,000 coded quotes
by default) in a temporary SQLite file, approves its texts and times the whole-evaluation matrix
export (XLSX, quotes in cells) with its leak guard three ways: nothing scanned before, the spans
kept in the database (another process), and kept in this process. Target: under 5 s once the
texts have been scanned, after the model is loaded.

The final-report part of `bsb bench report`: an Oslo-size final report as DOCX and as PDF.

Builds a synthetic evaluation in memory (no database): 15 sites, 25 themes, 600 quote boxes,
60 interviews, three informant groups, with goals, assessments, recommendations, the method
chapter's tables, both charts and the appendices. Each format is timed from the input to the
file's bytes (building the document model, charts included, then rendering), beside a baseline
that writes the same paragraphs with python-docx alone (no styles, boxes, tables or charts).
Target: under 10 s each on a 2-core machine.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bsbstudio.reports.engine import render_docx, render_pdf
from bsbstudio.reports.engine.cross_site import with_sums
from bsbstudio.reports.engine.document import Bullets, Document, Heading, Paragraph, QuoteBox, Table
from bsbstudio.reports.engine.final_report import (
    ChapterInput,
    FinalReportInput,
    GoalRef,
    MethodFigures,
    RecommendationInput,
    build_final_report,
)
from bsbstudio.reports.engine.process_report import Quote

TARGET = 10.0  # seconds, per format
SITES, THEMES, QUOTES, INTERVIEWS = 15, 25, 600, 60

_WORDS = (
    "det tok lang tid før noen ringte tilbake og jeg visste ikke hvem jeg skulle spørre om "
    "hjelp men da de først kom ble jeg møtt med respekt og de hørte på det jeg sa om hvordan "
    "hverdagen min er med medisiner og møter og ventetid på kontoret bydelen tjenesten bolig"
).split()


def synthetic_final_report(seed: int = 11) -> FinalReportInput:
    """An Oslo-size final report (sizes above), deterministic for a given ``seed``."""
    rng = random.Random(seed)

    def sentence(low: int, high: int) -> str:
        return (
            " ".join(rng.choice(_WORDS) for _ in range(rng.randint(low, high))).capitalize() + "."
        )

    def text(paragraphs: int) -> str:
        return "\n\n".join(" ".join(sentence(8, 18) for _ in range(4)) for _ in range(paragraphs))

    sites = [f"Bydel {n + 1}" for n in range(SITES)]
    groups = ["Brukere", "Pårørende", "Ansatte"]
    goals = [
        GoalRef(n + 1, sentence(8, 16), "Boligsosial handlingsplan", 10 + n) for n in range(40)
    ]
    polarities = ("positive", "critical", "neutral")
    chapters = []
    for t in range(THEMES):
        quotes = [
            (
                Quote(sentence(10, 40), groups[i % 3], polarities[(t + i) % 3]),
                sites[(t + i) % SITES],
            )
            for i in range(QUOTES // THEMES)
        ]
        chapters.append(
            ChapterInput(
                theme=f"Tema {t + 1}: {sentence(2, 4)[:-1]}",
                goals=rng.sample(goals, 2),
                experiences=text(3),
                quotes=quotes,
                assessment=text(2),
                recommendations=[
                    RecommendationInput(sentence(10, 20), rng.sample(goals, 2)) for _ in range(3)
                ],
            )
        )
    interviews = [(site, 2 + (n % 2), 2 - (n % 2)) for n, site in enumerate(sites)]
    assert sum(f + i for _s, f, i in interviews) == INTERVIEWS
    method = MethodFigures(
        sites=sites,
        groups=groups,
        interviews=interviews,
        informants=[[rng.randint(3, 12) for _ in groups] for _ in sites],
        guide_versions=[(1, "01.02.2026", 40), (2, "01.04.2026", 20)],
        conference=[("Brukere", 120), ("Pårørende", 40), ("Ansatte", 150), ("Ledere", 30)],
        polarity=[(c.theme, 8, 8, 8) for c in chapters],
        matrices=[
            (site, [(c.theme, [rng.randint(0, 4) for _ in groups]) for c in chapters])
            for site in sites
        ],
        guide_version=2,
        guide=[(c.theme, g, sentence(8, 14)) for c in chapters for g in groups],
    )
    return FinalReportInput(
        evaluation_name="Benkevaluering: boligsosialt arbeid i 15 bydeler",
        title="Sluttrapport",
        commissioner="Benkby kommune",
        authors=["Prosessleder"],
        foreword=text(2),
        summary=text(4),
        summary_en=text(3),
        chapters=chapters,
        method=method,
        comparison=[
            with_sums(
                "Intervjuer",
                "Intervjuer per bydel",
                "Bydel",
                ["Fokusgruppe", "Individuelt"],
                [(site, [f, i]) for site, f, i in interviews],
                total="Totalt",
                sum_label="Sum",
            ),
            with_sums(
                "Sitater",
                "Sitater per tema og bydel",
                "Tema",
                sites,
                [(c.theme, [rng.randint(0, 5) for _ in sites]) for c in chapters],
                total="Totalt",
                sum_label="Sum",
            ),
        ],
    )


def baseline_docx(document: Document) -> bytes:
    """The same paragraphs written with python-docx alone: text only, one paragraph each."""
    from docx import Document as new_docx

    docx = new_docx()
    for block in document.blocks:
        match block:
            case Heading(text=text) | Paragraph(text=text):
                docx.add_paragraph(text)
            case QuoteBox():
                docx.add_paragraph(block.caption)
                docx.add_paragraph(block.text)
                docx.add_paragraph(block.attribution)
            case Bullets(items=items):
                for item in items:
                    docx.add_paragraph(item)
            case Table(rows=rows):
                for row in rows:
                    docx.add_paragraph(" ".join(row))
    buffer = io.BytesIO()
    docx.save(buffer)
    return buffer.getvalue()


def _best(function: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(max(repeat, 1)):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def final_report_part(args: argparse.Namespace, out: TextIO) -> bool:
    """Time the final report as DOCX and PDF against the python-docx baseline."""
    data = synthetic_final_report()
    repeat = getattr(args, "repeat", 1)
    build, document = _best(lambda: build_final_report(data), repeat)
    docx, docx_bytes = _best(lambda: render_docx(build_final_report(data)), repeat)
    pdf, pdf_bytes = _best(lambda: render_pdf(build_final_report(data)), repeat)
    base, _ = _best(lambda: baseline_docx(document), repeat)
    pages = pdf_bytes.count(b"/Type /Page\n")
    print(
        f"final report: {SITES} sites, {THEMES} themes, {QUOTES} quote boxes, {INTERVIEWS} "
        f"interviews; {pages} PDF pages, DOCX {len(docx_bytes) // 1024} KiB",
        file=out,
    )
    print(f"{'':<22}{'engine':>10}{'baseline':>10}{'ratio':>8}", file=out)
    print(f"{'build (with charts)':<22}{build * 1000:>8.0f}ms", file=out)
    for name, seconds in (("final report DOCX", docx), ("final report PDF", pdf)):
        print(
            f"{name:<22}{seconds * 1000:>8.0f}ms{base * 1000:>8.0f}ms{seconds / base:>7.1f}x",
            file=out,
        )
    met = max(docx, pdf) < TARGET
    print(
        f"target: final report under {TARGET:.0f} s per format ({'met' if met else 'NOT met'}: "
        f"slowest {max(docx, pdf) * 1000:.0f} ms); best of {max(repeat, 1)}",
        file=out,
    )
    return met


EXPORT_TARGET = 5.0  # seconds, the whole-evaluation XLSX once its texts have been scanned


def register_bench(bench_subparsers) -> None:
    """Add `bsb bench export`."""
    parser = bench_subparsers.add_parser(
        "export", help="time the whole-evaluation matrix export (XLSX) and its leak guard"
    )
    parser.add_argument("--quotes", type=int, default=20_000, help="coded quotes to build")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the kept-spans export")
    parser.add_argument("--seed", type=int, default=12)
    parser.set_defaults(func=run_export_bench)


def run_export_bench(args: argparse.Namespace) -> int:
    """Set Django up on a temporary SQLite file, build, time; 0 if the target is met."""
    if "django.conf" in sys.modules:
        from django.conf import settings

        if settings.configured:
            print(
                "bsb bench export must run in its own process (Django is set up)", file=sys.stderr
            )
            return 2
    if args.quotes < 200:
        print("--quotes must be at least 200", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="bsb-bench-export-"))
    os.environ["BSB_DATA_DIR"] = str(folder)
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    try:
        from bsbstudio.cli.server import migrate, setup_django

        setup_django()
        migrate()
        return 0 if export_part(args.quotes, args.repeat, args.seed, sys.stdout) else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def export_part(quotes: int, repeat: int, seed: int, out: TextIO) -> bool:
    """Time the whole-evaluation XLSX and its leak guard; return whether the target is met.

    Three ways: nothing kept, spans kept in the database (as another process finds them), and
    kept in this process.
    """
    from django.utils import timezone

    from bsbstudio.analysis.bench import WORDS_PER_QUOTE, build_evaluation
    from bsbstudio.deid import leak_guard
    from bsbstudio.deid.actions import detector_for
    from bsbstudio.deid.models import LeakScan
    from bsbstudio.transcripts.models import DeidentifiedText

    from . import matrix_view_export
    from .exports import COMMAND_LINE

    started = time.perf_counter()
    evaluation, _leader = build_evaluation(max(quotes * WORDS_PER_QUOTE, 20_000), seed)
    DeidentifiedText.objects.filter(transcript__interview__evaluation=evaluation).update(
        approved_at=timezone.now()
    )
    built = time.perf_counter() - started
    started = time.perf_counter()
    detector_for(evaluation).detect("Kari bor i Oslo.")
    model = time.perf_counter() - started
    state = matrix_view_export.state_from_options(evaluation)
    guard_times: list[float] = []
    real_guard = matrix_view_export.guard

    def timed_guard(*args) -> None:
        begun = time.perf_counter()
        try:
            real_guard(*args)
        finally:
            guard_times.append(time.perf_counter() - begun)

    def export() -> tuple[float, float, int]:
        begun = time.perf_counter()
        content = matrix_view_export.export_xlsx(COMMAND_LINE, evaluation, state)
        return time.perf_counter() - begun, guard_times[-1], len(content)

    matrix_view_export.guard = timed_guard
    try:
        LeakScan.objects.filter(evaluation=evaluation).delete()
        leak_guard._recent.clear()
        cold = export()
        leak_guard._recent.clear()
        from_database = export()
        in_process = min((export() for _ in range(max(repeat, 1))), key=lambda run: run[0])
    finally:
        matrix_view_export.guard = real_guard
    written = matrix_view_export.build(evaluation, state, with_quotes=True).all_quotes()
    distinct = LeakScan.objects.filter(evaluation=evaluation).count()
    print(
        f"whole-evaluation matrix XLSX: {len(written):,} quotes written ({distinct:,} distinct "
        f"texts scanned), XLSX {cold[2] // 1024} KiB; built in {built:.1f} s, model loaded in "
        f"{model:.1f} s",
        file=out,
    )
    print(f"{'export':<44}{'total':>10}{'leak guard':>12}", file=out)
    for label, (total, guard, _size) in (
        ("nothing scanned before (first export)", cold),
        ("spans kept in the database (new process)", from_database),
        (f"spans kept in this process (best of {max(repeat, 1)})", in_process),
    ):
        print(f"{label:<44}{total:>9.2f}s{guard:>11.2f}s", file=out)
    met = from_database[0] < EXPORT_TARGET
    print(
        f"target: under {EXPORT_TARGET:.0f} s once the texts have been scanned "
        f"({'met' if met else 'NOT met'}: {from_database[0]:.2f} s from the database)",
        file=out,
    )
    return met

"""`bsb bench report`: how fast the report exports are made, each beside a plain baseline.

The benchmark is a list of parts (``PARTS``). A part builds its synthetic input in memory (no
database), times the engine and a baseline in the same process, prints its lines and says
whether its target was met. The slides part: a process report of 15 themes and 60 quotes,
planned and drawn as PPTX and as PDF, beside a baseline that writes the same number of slides,
with the same headings and texts, with plain python-pptx calls (no measuring, no layout).
Target: under 2 s for the slides.
"""

from __future__ import annotations

import argparse
import io
import random
import time
from collections.abc import Callable
from datetime import date
from typing import TextIO

from bsbstudio.conference.engine.slides import (
    Deck,
    DeckInput,
    GroupWork,
    plan_slides,
    render_pdf,
    render_pptx,
)
from bsbstudio.reports.bench import final_report_part
from bsbstudio.reports.engine.process_report import ProcessReportInput, Quote, ThemeFindings

SLIDES_TARGET = 2.0  # seconds, for 15 themes and 60 quotes

_WORDS = (
    "det tok lang tid før noen ringte tilbake og jeg visste ikke hvem jeg skulle spørre om "
    "hjelp men da de først kom ble jeg møtt med respekt og de hørte på det jeg sa om hvordan "
    "hverdagen min er med medisiner og møter og ventetid på kontoret"
).split()


def synthetic_report(themes: int = 15, quotes: int = 60, seed: int = 7) -> DeckInput:
    """A process report of ``themes`` themes and ``quotes`` quotes (spread evenly), in memory."""
    rng = random.Random(seed)

    def sentence(low: int, high: int) -> str:
        words = [rng.choice(_WORDS) for _ in range(rng.randint(low, high))]
        return " ".join(words).capitalize() + "."

    polarities = ("positive", "critical", "neutral")
    groups = ("Brukere", "Pårørende", "Ansatte")
    findings = []
    for n in range(themes):
        count = quotes // themes + (1 if n < quotes % themes else 0)
        findings.append(
            ThemeFindings(
                theme=f"Tema {n + 1}: {sentence(2, 4)[:-1]}",
                main_points="\n".join(f"- {sentence(6, 14)}" for _ in range(3)),
                quotes=[
                    Quote(
                        " ".join(sentence(6, 16) for _ in range(rng.randint(1, 3))),
                        groups[i % 3],
                        polarities[(n + i) % 3],
                    )
                    for i in range(count)
                ],
            )
        )
    work = tuple(
        GroupWork(f"Gruppe {g + 1}", (findings[g].theme,), tuple(sentence(5, 9) for _ in range(3)))
        for g in range(3)
    )
    data = ProcessReportInput(
        evaluation_name="Benkevaluering", site_name="Bydel Nord", themes=findings
    )
    return DeckInput(report=data, title="Dialogkonferanse", held_on=date(2026, 3, 3), groups=work)


def baseline_pptx(deck: Deck) -> bytes:
    """The same number of slides, headings and texts, written with plain python-pptx calls."""
    from pptx import Presentation

    presentation = Presentation()
    layout = presentation.slide_layouts[1]  # "Title and Content"
    for planned in deck.slides:
        slide = presentation.slides.add_slide(layout)
        slide.shapes.title.text = planned.heading
        body = slide.placeholders[1].text_frame
        for number, block in enumerate(planned.blocks[1:]):
            paragraph = body.paragraphs[0] if number == 0 else body.add_paragraph()
            paragraph.text = block.text
            if block.detail:
                body.add_paragraph().text = block.detail
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def best_time(function: Callable[[], object], repeat: int) -> tuple[float, float]:
    """The first (cold) and the best wall time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times[0], min(times)


def slides_part(args: argparse.Namespace, out: TextIO) -> bool:
    """Time the slides (PPTX and PDF) against the python-pptx baseline; True if under target."""
    deck_input = synthetic_report(args.themes, args.quotes)
    # The first run loads and parses the embedded font: it is timed too ("first run").
    cold_pptx, pptx = best_time(lambda: render_pptx(plan_slides(deck_input)), args.repeat)
    cold_pdf, pdf = best_time(lambda: render_pdf(plan_slides(deck_input)), args.repeat)
    planned = plan_slides(deck_input)
    _, base = best_time(lambda: baseline_pptx(planned), args.repeat)
    print(
        f"slides: {args.themes} themes, {args.quotes} quotes, {len(planned.slides)} slides",
        file=out,
    )
    print(f"{'':<22}{'engine':>10}{'first run':>11}{'baseline':>10}{'ratio':>8}", file=out)
    for name, best, cold in (("slides PPTX", pptx, cold_pptx), ("slides PDF", pdf, cold_pdf)):
        print(
            f"{name:<22}{best * 1000:>8.0f}ms{cold * 1000:>9.0f}ms{base * 1000:>8.0f}ms"
            f"{best / base:>7.1f}x",
            file=out,
        )
    worst = max(pptx, pdf, cold_pptx, cold_pdf)
    met = worst < SLIDES_TARGET
    print(
        f"target: slides under {SLIDES_TARGET:.0f} s ({'met' if met else 'NOT met'}: "
        f"slowest {worst * 1000:.0f} ms); best of {args.repeat}",
        file=out,
    )
    return met


PARTS: list[Callable[[argparse.Namespace, TextIO], bool]] = [slides_part, final_report_part]
"""The parts of `bsb bench report`, run in order; another report export adds its part here."""


def run(args: argparse.Namespace) -> int:
    """Run every part; exit 1 if any missed its target."""
    import sys

    results = [part(args, sys.stdout) for part in PARTS]
    return 0 if all(results) else 1


def register_bench(bench_subparsers) -> None:
    """Add `bsb bench report`."""
    parser = bench_subparsers.add_parser(
        "report", help="time report exports (slides) against plain library baselines"
    )
    parser.add_argument("--themes", type=int, default=15, help="themes in the synthetic report")
    parser.add_argument("--quotes", type=int, default=60, help="quotes in the synthetic report")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement")
    parser.set_defaults(func=run)

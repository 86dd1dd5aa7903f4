"""`bsb bench analysis`: the matrix, a cell, a search and a coding write at archive scale.

Builds a synthetic evaluation of N words (default 10 million: about 100,000 coded quotes,
20 sites, 30 themes of which 20 are sub-themes) with bulk inserts, into a fresh temporary SQLite
file or into the PostgreSQL database given by ``--database-url``, then times each operation the
way a request runs it and prints p50 and p95 beside the target of issue 12. A PostgreSQL
database is emptied only when an earlier run of this benchmark created its tables (it leaves a
marker table); any other database with tables is refused.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

MARKER_TABLE = "bsb_bench_marker"
WORDS_PER_TRANSCRIPT = 10_000
WORDS_PER_QUOTE = 100  # one coded quote per this many words of transcript
SITES, MAIN_THEMES, SUB_THEMES = 20, 10, 2
TARGETS_MS = {"matrix": 100.0, "cell": 100.0, "search": 50.0, "write": 50.0}

_WORDS = (
    "jeg har ventet lenge på time og det var vanskelig å få hjelp fra teamet men når de kom "
    "ble jeg møtt med respekt innleggelsen var tung innleggelser skjer for ofte etter at "
    "ventetiden ble lang medisinene hjalp litt vi snakket om bolig og arbeid og fastlegen "
    "visste ikke hva som skjedde personalet lyttet pårørende fikk lite informasjon om planen "
    "ansatte har for liten tid til hver bruker kontinuiteten er viktig for meg"
).split()


def register_bench(bench_subparsers) -> None:
    """Add `bsb bench analysis`."""
    parser = bench_subparsers.add_parser(
        "analysis", help="time the matrix, a cell, a search and a coding write at scale"
    )
    parser.add_argument("--words", type=int, default=10_000_000, help="size of the evaluation")
    parser.add_argument(
        "--database-url", help="a PostgreSQL database to use (emptied only if the bench made it)"
    )
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per operation")
    parser.add_argument("--seed", type=int, default=12)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Set Django up on the bench database, build the evaluation, time it; 0 if targets met."""
    if "django.conf" in sys.modules:
        from django.conf import settings

        if settings.configured:
            print(
                "bsb bench analysis must run in its own process (Django is set up)", file=sys.stderr
            )
            return 2
    if args.words < 20_000:
        print("--words must be at least 20000", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="bsb-bench-analysis-"))
    os.environ["BSB_DATA_DIR"] = str(folder)
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    try:
        from bsbstudio.cli.server import setup_django

        setup_django()
        if not _prepare_database(bool(args.database_url)):
            return 2
        return measure(args.words, args.repeat, args.seed, sys.stdout)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _prepare_database(external: bool) -> bool:
    """Migrate an empty database (or empty one the bench made before); refuse any other."""
    from django.core.management import call_command
    from django.db import connection

    tables = set(connection.introspection.table_names())
    if external and tables - {MARKER_TABLE}:
        if MARKER_TABLE not in tables:
            print(
                "refused: this database has tables that bsb bench analysis did not create; "
                "give it an empty database",
                file=sys.stderr,
            )
            return False
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", interactive=False, verbosity=0)
    if MARKER_TABLE not in tables:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE {MARKER_TABLE} (note varchar(100))")
            cursor.execute(f"INSERT INTO {MARKER_TABLE} VALUES ('made by bsb bench analysis')")
    return True


def build_evaluation(words: int, seed: int = 12):
    """A synthetic evaluation of about ``words`` words, coded; returns (evaluation, leader)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from bsbstudio.accounts.confidentiality import sign
    from bsbstudio.accounts.models import Membership, Role
    from bsbstudio.analysis.actions import sync_guide_codes
    from bsbstudio.analysis.models import Code, CodedSegment
    from bsbstudio.evaluations.models import Evaluation, Site
    from bsbstudio.fieldwork.models import Informant, Interview, Participation
    from bsbstudio.guide.models import InformantGroup, Theme
    from bsbstudio.transcripts.models import DeidentifiedText, SpeakerTurn, Transcript

    rng = random.Random(seed)
    batch = 2000
    with transaction.atomic():
        evaluation = Evaluation.objects.create(name="Benkevaluering", slug=f"bench-{seed}")
        leader = get_user_model().objects.create_user(f"bench-leader-{seed}", password=None)
        Membership.objects.create(evaluation=evaluation, user=leader, role=Role.PROCESS_LEADER)
        sign(leader, evaluation, "Benk")
        sites = Site.objects.bulk_create(
            Site(evaluation=evaluation, name=f"Bydel {n + 1}", order=n) for n in range(SITES)
        )
        groups = InformantGroup.objects.bulk_create(
            InformantGroup(evaluation=evaluation, code=code, name=name, order=n)
            for n, (code, name) in enumerate(
                [("B", "Brukere"), ("P", "Pårørende"), ("A", "Ansatte")]
            )
        )
        order = 0
        for m in range(MAIN_THEMES):
            main = Theme.objects.create(evaluation=evaluation, name=f"Tema {m + 1}", order=order)
            order += 1
            for s in range(SUB_THEMES):
                Theme.objects.create(
                    evaluation=evaluation, parent=main, name=f"Tema {m + 1}.{s + 1}", order=order
                )
                order += 1
        sync_guide_codes(evaluation)
        codes = list(Code.objects.filter(evaluation=evaluation).order_by("order"))

        n_texts = max(SITES, words // WORDS_PER_TRANSCRIPT)
        per_text = words // n_texts
        interviews = Interview.objects.bulk_create(
            Interview(
                evaluation=evaluation,
                code=f"I-{n + 1:05d}",
                kind="focus_group",
                site=sites[n % SITES],
                status="held",
            )
            for n in range(n_texts)
        )
        informants = Informant.objects.bulk_create(
            (
                Informant(
                    evaluation=evaluation,
                    code=f"{groups[g].code}-{n + 1:05d}",
                    group=groups[g],
                    site=interview.site,
                )
                for n, interview in enumerate(interviews)
                for g in range(3)
            ),
            batch_size=batch,
        )
        participations = Participation.objects.bulk_create(
            (
                Participation(
                    interview=interview, informant=informants[3 * n + g], speaker_code=f"D{g + 1}"
                )
                for n, interview in enumerate(interviews)
                for g in range(3)
            ),
            batch_size=batch,
        )
        texts, turn_plans = [], []
        for _interview in interviews:
            text, plan = _synthetic_text(rng, per_text)
            turn_plans.append(plan)
            texts.append(text)
        transcripts = Transcript.objects.bulk_create(
            (Transcript(interview=i, raw_text=t) for i, t in zip(interviews, texts, strict=True)),
            batch_size=200,
        )
        deidentified = DeidentifiedText.objects.bulk_create(
            (
                DeidentifiedText(transcript=tr, text=t)
                for tr, t in zip(transcripts, texts, strict=True)
            ),
            batch_size=200,
        )
        turns = SpeakerTurn.objects.bulk_create(
            (
                SpeakerTurn(
                    deidentified_text=d,
                    order=k,
                    speaker_code=speaker,
                    role="participant" if speaker != "I" else "interviewer",
                    participation=participations[3 * n + int(speaker[1:]) - 1]
                    if speaker != "I"
                    else None,
                    start=start,
                    end=end,
                )
                for n, (d, plan) in enumerate(zip(deidentified, turn_plans, strict=True))
                for k, (speaker, start, end) in enumerate(plan)
            ),
            batch_size=batch,
        )
        segments = []
        polarities = ("positive", "critical", "neutral")
        at = 0
        for d, plan, text, interview in zip(
            deidentified, turn_plans, texts, interviews, strict=True
        ):
            own_turns = turns[at : at + len(plan)]
            at += len(plan)
            speaking = [t for t in own_turns if t.speaker_code != "I"]
            for _ in range(max(1, per_text // WORDS_PER_QUOTE)):
                turn = rng.choice(speaking)
                start, end = _span(rng, text, turn.start, turn.end)
                code = rng.choice(codes)
                # Theme 1 has no critical quotes: the balance view should flag it.
                weights = (5, 0, 2) if code.order == 0 else (3, 4, 2)
                segments.append(
                    CodedSegment(
                        text=d,
                        code=code,
                        turn=turn,
                        # The place placement.place gives a quote coded through the action.
                        group=groups[int(turn.speaker_code[1:]) - 1],
                        site=interview.site,
                        interview=interview,
                        start=start,
                        end=end,
                        quote=text[start:end],
                        polarity=rng.choices(polarities, weights)[0],
                        directness="direct" if rng.random() < 0.8 else "indirect",
                        created_by=leader,
                    )
                )
        CodedSegment.objects.bulk_create(segments, batch_size=batch)
    return evaluation, leader


def _synthetic_text(rng: random.Random, words: int) -> tuple[str, list[tuple[str, int, int]]]:
    """A focus group of about ``words`` words: the interviewer asks, D1 to D3 answer in turns."""
    parts, plan, length, written, k = [], [], 0, 0, 0
    while written < words:
        speaker = "I" if k % 4 == 0 else f"D{rng.randint(1, 3)}"
        count = rng.randint(10, 25) if speaker == "I" else rng.randint(60, 140)
        body = " ".join(rng.choices(_WORDS, k=count)).capitalize() + "."
        prefix = f"{speaker}: "
        start = length + len(prefix)
        parts.append(prefix + body + "\n")
        plan.append((speaker, start, start + len(body)))
        length += len(prefix) + len(body) + 1
        written += count
        k += 1
    return "".join(parts), plan


def _span(rng: random.Random, text: str, start: int, end: int) -> tuple[int, int]:
    """A span of 10 to 30 words inside one turn, on word boundaries."""
    spaces = [start - 1] + [i for i in range(start, end) if text[i] == " "] + [end]
    length = rng.randint(10, 30)
    first = rng.randrange(0, max(1, len(spaces) - length))
    last = min(len(spaces) - 1, first + length)
    return spaces[first] + 1, spaces[last]


def percentiles(times: list[float]) -> tuple[float, float]:
    """p50 and p95 of ``times`` (seconds), in milliseconds; p95 is the nearest-rank value."""
    ordered = sorted(times)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    return 1000 * statistics.median(ordered), 1000 * p95


def timed(operation: Callable[[int], object], repeat: int) -> tuple[float, float]:
    """Run ``operation(i)`` once to warm up, then ``repeat`` times; p50 and p95 in ms."""
    operation(0)
    times = []
    for i in range(repeat):
        start = time.perf_counter()
        operation(i + 1)
        times.append(time.perf_counter() - start)
    return percentiles(times)


def measure(words: int, repeat: int, seed: int, out) -> int:
    """Build the evaluation, time each operation, print the table; 0 if every target is met."""
    from django.db import connection
    from django.test import RequestFactory

    from bsbstudio.analysis import actions, views
    from bsbstudio.analysis.engine.matrix import balance, fold, matrix_from_counts, sort_themes
    from bsbstudio.analysis.models import Code, CodedSegment
    from bsbstudio.analysis.queries import MatrixQuery, cell_quotes, matrix_counts
    from bsbstudio.transcripts.models import DeidentifiedText

    started = time.perf_counter()
    evaluation, leader = build_evaluation(words, seed)
    built_s = time.perf_counter() - started
    segments = CodedSegment.objects.filter(code__evaluation=evaluation).count()
    texts = list(
        DeidentifiedText.objects.filter(transcript__interview__evaluation=evaluation)
        .select_related("transcript__interview")
        .order_by("pk")
    )
    sites = list(evaluation.sites.order_by("pk").values_list("pk", flat=True))
    codes = list(Code.objects.filter(evaluation=evaluation).order_by("pk"))
    groups = list(evaluation.informant_groups.order_by("pk").values_list("pk", flat=True))
    vendor = connection.vendor
    # Statistics (and PostgreSQL's visibility map, for index-only scans) as a database that has
    # been in use has them; a bulk load has not had its autovacuum yet.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if vendor == "sqlite" else "VACUUM ANALYZE")
    print(
        f"{vendor}: {words:,} words, {len(texts):,} transcripts, {segments:,} coded quotes, "
        f"{len(sites)} sites, {len(codes)} themes; built in {built_s:.1f} s",
        file=out,
    )
    factory = RequestFactory()

    def page(params: dict) -> Callable[[int], object]:
        def get(i: int):
            request = factory.get("/", {k: v(i) if callable(v) else v for k, v in params.items()})
            request.user, request.htmx = leader, False
            response = views.matrix(request, slug=evaluation.slug)
            assert response.status_code == 200, response.status_code
            return response

        return get

    def open_cell(i: int):
        code = codes[i % len(codes)]
        query = MatrixQuery(column="group")
        quotes = cell_quotes([code.pk], query, groups[i % len(groups)])
        return quotes.count(), list(quotes[:50])

    def write(i: int):
        text = texts[(i * 7919) % len(texts)]
        turn = text.turns.filter(participation__isnull=False).order_by("order")[i % 50]
        start = turn.start + 3 * (i % 10)
        actions.code_segment(
            leader, text, codes[i % len(codes)], start, start + 40, "critical", "direct"
        )

    def counted(**scope) -> Callable[[int], object]:
        """The matrix itself: the count in the database and the engine (fold, sort, balance)."""

        def build(i: int):
            chosen = {k: v(i) if callable(v) else v for k, v in scope.items()}
            tree, parent_of = views._code_tree(evaluation)
            query = MatrixQuery(**chosen)
            columns = [key for key, _name in views._columns(evaluation, query)]
            ids = [c.pk for c in tree]
            built = fold(matrix_from_counts(matrix_counts(ids, query), ids, columns), parent_of)
            return balance(built, sort_themes(built, "critical"))

        return build

    rows = [
        ("matrix, the evaluation", "matrix", counted()),
        ("matrix, one site", "matrix", counted(site_id=lambda i: sites[i % len(sites)])),
        ("matrix, one transcript", "matrix", counted(text_id=lambda i: texts[i % len(texts)].pk)),
        (
            "matrix by interview, one site",
            "matrix",
            counted(column="interview", site_id=lambda i: sites[i % len(sites)]),
        ),
        ("page: matrix, the evaluation", "matrix", page({})),
        ("page: matrix, one site", "matrix", page({"site": lambda i: sites[i % len(sites)]})),
        (
            "page: matrix, one transcript",
            "matrix",
            page({"text": lambda i: texts[i % len(texts)].pk}),
        ),
        ("one cell's quotes (page 1)", "cell", open_cell),
    ]
    search_line = None
    try:
        from bsbstudio.analysis import search as search_module

        started = time.perf_counter()
        search_module.ensure_indexed(evaluation)
        index_s = time.perf_counter() - started
        words_to_find = ["innleggelsen", "ventetiden", "pårørende", "kontinuiteten", "teamet"]
        rows.append(
            (
                "stemmed search",
                "search",
                lambda i: search_module.search(evaluation, words_to_find[i % len(words_to_find)]),
            )
        )
        search_line = f"search index built in {index_s:.1f} s (once, before the timed searches)"
    except Exception as error:  # the search module is optional here: another part of issue 12
        search_line = f"search not available ({type(error).__name__}: {error})"
    rows.append(("coding write", "write", write))

    met = True
    print(f"{'operation':<32}{'p50':>10}{'p95':>10}{'target p95':>12}", file=out)
    for label, kind, operation in rows:
        try:
            p50, p95 = timed(operation, repeat)
        except Exception as error:
            print(f"{label:<32} failed: {type(error).__name__}: {error}", file=out)
            met = False
            continue
        target = TARGETS_MS[kind]
        ok = p95 < target
        met &= ok
        print(
            f"{label:<32}{p50:>8.1f}ms{p95:>8.1f}ms{'< ' + format(target, '.0f') + ' ms':>12}"
            f"{'' if ok else '  NOT MET'}",
            file=out,
        )
    if search_line:
        print(search_line, file=out)
    print(
        f"{repeat} timed runs each after one warm-up. matrix: the count in the database and the "
        "engine (folded, sorted, balance); page: the whole view with its template",
        file=out,
    )
    return 0 if met else 1

"""`bsb bench deid`: the engine beside a Presidio baseline on dev sets, NorNE and real quotes.

Both run in the same process over the same texts. The shared dev set and this repository's
second dev set (``data/deid/dev2.jsonl``) are scored with the shared ``score.py`` (imported from
the data folder, it is standard-library only); NorNE dev is scored as entity F1 for persons
(exact span match). False alarms are counted on the already anonymised informant quotes of the
published reports in the shared seeds folder, read at run time and never stored here: every
hit there is a false alarm or a pseudonym, and a person judges them with ``--show-flags``.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import io
import json
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from .engine import Detector, EvaluationLists

REPO = Path(__file__).resolve().parents[3]
DEFAULT_DATA = REPO.parent / "shared" / "data"
DEFAULT_DEV2 = REPO / "data" / "deid" / "dev2.jsonl"
DEFAULT_SEEDS = REPO.parent / "shared" / "seeds"
WORD_RE = re.compile(r"\w+")

DetectFn = Callable[[str], list[tuple[int, int, str]]]
KeepFactory = Callable[[Sequence[str]], DetectFn]  # a system told which words to keep

# The evaluation's own world for each published report (by file-name prefix): the evaluated
# service, its units and its sites, as the app fills the keep list from the evaluation's
# registry. Names only; the reports name them on purpose.
OWN_WORLD: dict[str, tuple[str, ...]] = {
    "000": ("PART", "Trondheim kommune"),
    "001": ("KBT Midt-Norge",),
    "002": (),  # a thesis that leaves its municipality unnamed
    "003": (
        "Ambulant gruppe Stavanger",
        "Ambulant gruppe Sandnes",
        "Stavanger kommune",
        "Sandnes kommune",
    ),
    "004": (
        "Oslo kommune",
        "Alna",
        "Bjerke",
        "Frogner",
        "Gamle Oslo",
        "Grorud",
        "Grünerløkka",
        "Nordre Aker",
        "Nordstrand",
        "Sagene",
        "St. Hanshaugen",
        "Stovner",
        "Søndre Nordstrand",
        "Ullern",
        "Vestre Aker",
        "Østensjø",
    ),
}
FALSE_ALARM_TARGET = 2.0  # flags per 1,000 words of real interview text (issue 11)
QUOTE_OPEN = re.compile(r"(?m)^[ \t]*[\u201d\u201c\"\u00ab]")
QUOTE_CLOSE = re.compile(r"[\u201d\"\u00bb]")
MIN_QUOTE_WORDS = 12
MAX_QUOTE_CHARS = 2000
# Common Norwegian function words: a quote needs three of them (English citations have none)
NORWEGIAN_MARKERS = frozenset("jeg det er og ikke vi de som på har en å så med".split())


def load_scorer(path: Path):
    """Import ``score.py`` from the data folder as a module."""
    spec = importlib.util.spec_from_file_location("bsb_deid_score", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_jsonl(path: Path) -> list[dict]:
    """Read a JSON-lines file."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def timed(fn: DetectFn, texts: list[str], repeat: int = 1) -> tuple[list, float]:
    """Run ``fn`` over all texts ``repeat`` times; return the last results and words/second."""
    words = sum(len(WORD_RE.findall(t)) for t in texts) * repeat
    started = time.perf_counter()
    for _ in range(repeat):
        results = [fn(t) for t in texts]
    elapsed = time.perf_counter() - started
    return results, words / elapsed if elapsed else float("inf")


def parallel_words_per_second(
    detector: Detector, texts: list[str], processes: int, repeat: int = 4
) -> float:
    """Words/second over ``texts`` (``repeat`` times) with ``processes`` worker processes."""
    batch = texts * repeat
    words = sum(len(WORD_RE.findall(t)) for t in batch)
    detector.detect(batch[0])  # the model is loaded before the clock starts
    started = time.perf_counter()
    for _ in detector.detect_many(batch, processes=processes):
        pass
    return words / (time.perf_counter() - started)


def score_dev(fn: DetectFn, dev_path: Path, scorer, repeat: int = 3) -> dict:
    """Detect over ``dev.jsonl`` and score with ``score.py``; add words/second."""
    gold = scorer.load_gold(str(dev_path))
    ids = list(gold)
    texts = [gold[i]["text"] for i in ids]
    fn(texts[0])  # warm up (model load) outside the timing
    results, wps = timed(fn, texts, repeat)
    pred = {i: [(s, e) for s, e, _ in spans] for i, spans in zip(ids, results, strict=True)}
    metrics = scorer.evaluate(gold, pred)
    metrics["words_per_second"] = wps
    metrics["_predictions"] = {i: spans for i, spans in zip(ids, results, strict=True)}
    return metrics


def norne_sentences(norne: Path) -> list[tuple[str, list[tuple[int, int]]]]:
    """NorNE dev sentences as text with PER character spans (bokmål and nynorsk)."""
    from .engine.training import DEV_FILES, read_conllu

    out = []
    for name in DEV_FILES:
        for sentence in read_conllu(norne / name):
            text, offsets = "", []
            for word, space in zip(sentence.words, sentence.spaces, strict=True):
                offsets.append((len(text), len(text) + len(word)))
                text += word + (" " if space else "")
            spans, start = [], None
            for i, tag in enumerate(sentence.tags + ["O"]):
                if start is not None and not tag.startswith("I-"):
                    spans.append((offsets[start][0], offsets[i - 1][1]))
                    start = None
                if tag == "B-PER":
                    start = i
            out.append((text, spans))
    return out


def score_norne(fn: DetectFn, norne: Path) -> dict:
    """PER precision/recall/F1 (exact spans) and words/second over NorNE dev."""
    data = norne_sentences(norne)
    texts = [t for t, _ in data]
    fn(texts[0])
    results, wps = timed(fn, texts)
    tp = n_pred = n_gold = 0
    for (_, gold), spans in zip(data, results, strict=True):
        predicted = {(s, e) for s, e, label in spans if label == "PERSON"}
        gold_set = set(gold)
        tp += len(predicted & gold_set)
        n_pred += len(predicted)
        n_gold += len(gold_set)
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"per_precision": precision, "per_recall": recall, "per_f1": f1, "words_per_second": wps}


def interview_quotes(report: str) -> list[str]:
    """The informants' quoted passages in a published report's text, each on one line.

    The reports set an informant's words as a block that opens a line with a quote mark
    (”, “, " or «) and runs over several lines to the next closing mark. A passage counts
    when it has at least MIN_QUOTE_WORDS words and three common Norwegian function words, which
    leaves out quoted titles, terms and English citations.
    """
    quotes = []
    for opening in QUOTE_OPEN.finditer(report):
        closing = QUOTE_CLOSE.search(report, opening.end(), opening.end() + MAX_QUOTE_CHARS)
        if closing is None:
            continue
        passage = " ".join(report[opening.end() : closing.start()].split())
        words = WORD_RE.findall(passage)
        markers = NORWEGIAN_MARKERS & {w.casefold() for w in words}
        if len(words) >= MIN_QUOTE_WORDS and len(markers) >= 3:
            quotes.append(passage)
    return quotes


def false_alarms(make: KeepFactory, seeds: Path) -> dict:
    """Hits per 1,000 words on the reports' interview quotes, each report with its own keep list.

    The quotes are already anonymised, so each hit is a false alarm (or, now and then, a
    report's pseudonym); ``_flags`` holds (report, quote, start, end, label) for a person to judge.
    """
    flags, words, passages = [], 0, 0
    for path in sorted(seeds.glob("*.txt")):
        prefix = path.name.split("_", 1)[0]
        if prefix not in OWN_WORLD:
            continue  # not a report whose evaluation we know
        detect = make(OWN_WORLD[prefix])
        for quote in interview_quotes(path.read_text(encoding="utf-8", errors="replace")):
            passages += 1
            words += len(WORD_RE.findall(quote))
            flags.extend((path.name, quote, s, e, label) for s, e, label in detect(quote))
    rate = 1000 * len(flags) / words if words else None
    return {
        "words": words,
        "passages": passages,
        "flags": len(flags),
        "per_1000": rate,
        "_flags": flags,
    }


def show_flags(flags: list, limit: int, out) -> None:
    """Print up to ``limit`` flagged words with 40 characters of context on each side."""
    for report, quote, start, end, label in flags[:limit]:
        before = quote[max(0, start - 40) : start]
        after = quote[end : end + 40]
        print(f"  {report[:3]} {label:<12} {before}[{quote[start:end]}]{after}", file=out)


def engine_fn(detector: Detector) -> DetectFn:
    """Adapt the detector to the benchmark's (start, end, label) triples."""

    def detect(text: str) -> list[tuple[int, int, str]]:
        return [(s.start, s.end, s.label) for s in detector.detect(text)]

    return detect


def presidio_fn() -> DetectFn:
    """Presidio configured as the baseline: equivalent Norwegian patterns, the same name lists.

    Pattern recognisers for fødselsnummer (mod-11 validation via python-stdnum, date-shaped
    numbers kept at a lower score), phone, e-mail (a pattern, so ``tldextract`` never goes to
    the network), URL, dates and ages; deny lists built from our given-name, family-name, place
    and organisation files; and Presidio's SpacyRecognizer over the same shipped NER model (a
    path, so Presidio downloads nothing), run on the whole text as Presidio does.
    """
    from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

    from .engine.checksums import check_number
    from .engine.lexicon import lexicon, read_list
    from .engine.model import model_path
    from .engine.recognisers.dates import HOLIDAYS, MONTHS, ORDINALS, SEASONS, YEAR

    class FodselsnummerRecognizer(PatternRecognizer):
        def validate_result(self, pattern_text: str) -> bool | None:
            return check_number(re.sub(r"\D", "", pattern_text)) is not None

    mapping = {
        "PER": "PERSON",
        "LOC": "LOCATION",
        "GPE_LOC": "LOCATION",
        "ORG": "ORGANIZATION",
        "GPE_ORG": "ORGANIZATION",
    }
    engine = SpacyNlpEngine(
        models=[{"lang_code": "nb", "model_name": str(model_path())}],
        ner_model_configuration=NerModelConfiguration(
            model_to_presidio_entity_mapping=mapping, labels_to_ignore=["PROD", "EVT", "DRV"]
        ),
    )
    engine.load()
    registry = RecognizerRegistry(supported_languages=["nb"])
    registry.add_recognizer(
        SpacyRecognizer(
            supported_language="nb", supported_entities=["PERSON", "LOCATION", "ORGANIZATION"]
        )
    )
    patterns = {
        "ID_NUMBER": [Pattern("fnr", r"(?<![\d,.])\d(?:[ .\-/]?\d){10}(?!\d)", 0.6)],
        "PHONE": [
            Pattern(
                "phone",
                r"(?<![\w+])(?:(?:\+|00)\s?47[ .\-]?)?[2-9](?:[ .\-]?\d){7}"
                r"(?!\d)",
                0.6,
            )
        ],
        "EMAIL": [Pattern("email", r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zæøå]{2,}", 0.9)],
        "URL": [
            Pattern(
                "url",
                r"(?:https?://|www\.)[^\s]+|(?<![\w@.])(?:[\w-]+\.)+(?:no|com|net|"
                r"org|io)(?:/[^\s]*)?",
                0.6,
            )
        ],
        "DATE": [
            Pattern(
                "date",
                rf"\b(?:\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}|\d{{1,2}}\.\s?{MONTHS}"
                rf"(?:\s{YEAR})?|{ORDINALS}\s{MONTHS}|{MONTHS}\s{YEAR}|"
                rf"{SEASONS}\s{YEAR}|{HOLIDAYS}\s{YEAR}|{YEAR})\b",
                0.6,
            )
        ],
        "AGE": [Pattern("age", r"(?<=\ber )\d{1,3}\b", 0.5)],
    }
    for entity, entity_patterns in patterns.items():
        cls = FodselsnummerRecognizer if entity == "ID_NUMBER" else PatternRecognizer
        registry.add_recognizer(
            cls(
                supported_entity=entity,
                patterns=entity_patterns,
                supported_language="nb",
                name=f"nb_{entity.lower()}",
            )
        )
    deny = {
        "PERSON": sorted(lexicon().all_names),
        "LOCATION": read_list("municipalities.txt") + read_list("places.txt"),
        "ORGANIZATION": read_list("organisations.txt"),
    }
    for entity, words in deny.items():
        registry.add_recognizer(
            PatternRecognizer(
                supported_entity=entity,
                deny_list=words,
                supported_language="nb",
                name=f"nb_{entity.lower()}_list",
            )
        )
    analyzer = AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=["nb"])

    def detect(text: str, keep: Sequence[str] = ()) -> list[tuple[int, int, str]]:
        # Presidio's allow list drops a hit whose text is exactly an entry: give whole names
        # and their single words, as the engine's keep list keeps both
        allowed = sorted({*keep, *(w for name in keep for w in name.split())})
        results = analyzer.analyze(
            text, language="nb", score_threshold=0.5, allow_list=allowed or None
        )
        spans = sorted(
            ((r.start, r.end, r.entity_type) for r in results), key=lambda s: (s[0], -s[1])
        )
        return spans

    return detect


def _row(name: str, values: list[str]) -> str:
    return f"{name:<28}" + "".join(f"{v:>20}" for v in values)


def _value(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return str(value)
    return f"{value:,.0f}" if value > 100 else f"{value:.3f}"


def run(
    data: Path,
    *,
    with_presidio: bool = True,
    use_ner: bool = True,
    dev2: Path | None = DEFAULT_DEV2,
    seeds: Path | None = DEFAULT_SEEDS,
    show: int = 0,
    predictions: Path | None = None,
    out=None,
) -> dict:
    """Run the whole benchmark and print the table; return the figures.

    A missing second dev set, seeds folder or NorNE folder leaves its rows empty ("-").
    """
    import sys

    out = out or sys.stdout
    deid_dir, norne_dir = data / "deid", data / "norne"
    scorer = load_scorer(deid_dir / "score.py")
    datasets = {"dev": deid_dir / "dev.jsonl"}
    if dev2 is not None and dev2.is_file():
        datasets["dev2"] = dev2

    def engine(keep: Sequence[str]) -> DetectFn:
        return engine_fn(Detector(EvaluationLists(keep=keep), use_ner=use_ner))

    systems: dict[str, KeepFactory] = {
        "BSB engine" if use_ner else "BSB engine (rules only)": engine
    }
    if with_presidio:
        presidio = presidio_fn()
        systems["Presidio baseline"] = lambda keep: functools.partial(presidio, keep=keep)
    figures: dict[str, dict] = {}
    for name, make in systems.items():
        fn = make(())
        figures[name] = {key: score_dev(fn, path, scorer) for key, path in datasets.items()}
        if norne_dir.is_dir():
            figures[name]["norne"] = score_norne(fn, norne_dir)
        if seeds is not None and seeds.is_dir():
            figures[name]["real"] = false_alarms(make, seeds)
    texts = [r["text"] for path in datasets.values() for r in read_jsonl(path)]
    engine_name = next(iter(figures))
    parallel_detector = Detector(use_ner=use_ner)
    figures[engine_name]["parallel"] = {
        f"processes_{n}": parallel_words_per_second(parallel_detector, texts, n) for n in (1, 2)
    }
    names = list(figures)
    print(_row("", names), file=out)
    rows = []
    for key, title in (("dev", "dev"), ("dev2", "dev2")):
        rows += [
            (f"{title} direct recall", key, "direct_recall"),
            (f"{title} quasi recall", key, "quasi_recall"),
            (f"{title} entity recall (direct)", key, "entity_recall"),
            (f"{title} token precision", key, "token_precision"),
            (f"{title} leaks", key, "leaks"),
            (f"{title} words/second", key, "words_per_second"),
        ]
    rows += [
        ("NorNE dev PER precision", "norne", "per_precision"),
        ("NorNE dev PER recall", "norne", "per_recall"),
        ("NorNE dev PER F1", "norne", "per_f1"),
        ("NorNE dev words/second", "norne", "words_per_second"),
        ("dev sets words/s, 1 process", "parallel", "processes_1"),
        ("dev sets words/s, 2 processes", "parallel", "processes_2"),
        ("real quotes: words", "real", "words"),
        ("real quotes: flags", "real", "flags"),
        ("real quotes: flags/1,000 words", "real", "per_1000"),
    ]
    for label, key, metric in rows:
        values = [_value(figures[name].get(key, {}).get(metric)) for name in names]
        print(_row(label, values), file=out)
    real = figures[names[0]].get("real")
    if real is not None:
        verdict = "within" if (real["per_1000"] or 0) <= FALSE_ALARM_TARGET else "above"
        print(
            f"false alarms on {real['passages']} interview quotes ({real['words']:,} words) of "
            f"the reports in {seeds}: {verdict} the target of {FALSE_ALARM_TARGET:g} per 1,000 "
            "words, each report with its evaluation's own world kept",
            file=out,
        )
        if show:
            print(f"first {min(show, real['flags'])} flags of {names[0]}:", file=out)
            show_flags(real["_flags"], show, out)
    if norne_dir.is_dir():
        from .engine.model import load_model

        nlp = load_model()

        def model_only(text: str) -> list[tuple[int, int, str]]:
            return [
                (e.start_char, e.end_char, "PERSON" if e.label_ == "PER" else e.label_)
                for e in nlp(text).ents
            ]

        alone = score_norne(model_only, norne_dir)
        print(
            f"NER model alone, NorNE dev PER: precision {alone['per_precision']:.3f} "
            f"recall {alone['per_recall']:.3f} F1 {alone['per_f1']:.3f} "
            f"({alone['words_per_second']:,.0f} words/s)",
            file=out,
        )
    if len(names) == 2:
        for key in datasets:
            a, b = (figures[n][key]["words_per_second"] for n in names)
            print(f"speed ratio on {key} ({names[0]} / {names[1]}): {a / b:.1f}x", file=out)
    for key, path in datasets.items():
        buffer = io.StringIO()
        scorer.report(figures[names[0]][key], scorer.load_gold(str(path)), 0, out=buffer)
        print(f"\nscore.py report for {names[0]} on {path.name}:\n" + buffer.getvalue(), file=out)
    if predictions is not None:
        with open(predictions, "w", encoding="utf-8") as handle:
            for doc_id, spans in figures[names[0]]["dev"]["_predictions"].items():
                handle.write(
                    json.dumps(
                        {
                            "id": doc_id,
                            "spans": [
                                {"start": s, "end": e, "label": label} for s, e, label in spans
                            ],
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
    return figures


def register_bench(subparsers) -> None:
    """Add `bsb bench deid`."""
    parser = subparsers.add_parser("deid", help="de-identification: engine vs Presidio baseline")
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help="folder with deid/ and norne/ (default: ../shared/data)",
    )
    parser.add_argument(
        "--dev2",
        type=Path,
        default=DEFAULT_DEV2,
        help="the second dev set (default: data/deid/dev2.jsonl)",
    )
    parser.add_argument(
        "--seeds",
        type=Path,
        default=DEFAULT_SEEDS,
        help="folder with the published reports, for false alarms (default: ../shared/seeds)",
    )
    parser.add_argument("--no-presidio", action="store_true", help="skip the baseline")
    parser.add_argument("--no-ner", action="store_true", help="the engine's rules only")
    parser.add_argument(
        "--show-flags",
        type=_count,
        default=0,
        metavar="N",
        help="print N flagged words on the interview quotes, with context, to judge them",
    )
    parser.add_argument("--predictions", type=Path, help="write the engine's dev predictions")
    parser.set_defaults(func=_cmd)


def _count(value: str) -> int:
    """A whole number of 0 or more, for --show-flags."""
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number, not {value!r}")
    return int(value)


def _cmd(args) -> int:
    if not (args.data / "deid" / "dev.jsonl").is_file():
        print(f"bsb bench deid: no dev set at {args.data / 'deid' / 'dev.jsonl'}")
        return 2
    run(
        args.data,
        with_presidio=not args.no_presidio,
        use_ner=not args.no_ner,
        dev2=args.dev2,
        seeds=args.seeds,
        show=args.show_flags,
        predictions=args.predictions,
    )
    return 0

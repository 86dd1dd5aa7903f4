"""`bsb bench deid`: the engine against a Presidio baseline, on the dev set and NorNE dev.

Both run in the same process over the same texts. The BSB dev set is scored with the shared
``score.py`` (imported from the data folder, it is standard-library only); NorNE dev is scored
as entity F1 for persons (exact span match) and as PER token recall.
"""

from __future__ import annotations

import importlib.util
import io
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

from .engine import Detector

DEFAULT_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
WORD_RE = re.compile(r"\w+")

DetectFn = Callable[[str], list[tuple[int, int, str]]]


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
    from .engine.lexicon import read_list
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
        "PERSON": read_list("given_names.txt") + read_list("family_names.txt"),
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

    def detect(text: str) -> list[tuple[int, int, str]]:
        results = analyzer.analyze(text, language="nb", score_threshold=0.5)
        spans = sorted(
            ((r.start, r.end, r.entity_type) for r in results), key=lambda s: (s[0], -s[1])
        )
        return spans

    return detect


def _row(name: str, values: list[str]) -> str:
    return f"{name:<28}" + "".join(f"{v:>20}" for v in values)


def run(
    data: Path, *, with_presidio: bool = True, predictions: Path | None = None, out=None
) -> dict:
    """Run the whole benchmark and print the table; return the figures."""
    import sys

    out = out or sys.stdout
    deid_dir, norne_dir = data / "deid", data / "norne"
    scorer = load_scorer(deid_dir / "score.py")
    systems: dict[str, DetectFn] = {"BSB engine": engine_fn(Detector())}
    if with_presidio:
        systems["Presidio baseline"] = presidio_fn()
    figures: dict[str, dict] = {}
    for name, fn in systems.items():
        dev = score_dev(fn, deid_dir / "dev.jsonl", scorer)
        figures[name] = {"dev": dev}
        if norne_dir.is_dir():
            figures[name]["norne"] = score_norne(fn, norne_dir)
    names = list(figures)
    print(_row("", names), file=out)
    rows = [
        ("dev direct recall", lambda f: f["dev"]["direct_recall"]),
        ("dev quasi recall", lambda f: f["dev"]["quasi_recall"]),
        ("dev entity recall (direct)", lambda f: f["dev"]["entity_recall"]),
        ("dev token precision", lambda f: f["dev"]["token_precision"]),
        ("dev leaks", lambda f: f["dev"]["leaks"]),
        ("dev words/second", lambda f: f["dev"]["words_per_second"]),
        ("NorNE dev PER precision", lambda f: f.get("norne", {}).get("per_precision")),
        ("NorNE dev PER recall", lambda f: f.get("norne", {}).get("per_recall")),
        ("NorNE dev PER F1", lambda f: f.get("norne", {}).get("per_f1")),
        ("NorNE dev words/second", lambda f: f.get("norne", {}).get("words_per_second")),
    ]
    for label, get in rows:
        values = []
        for name in names:
            value = get(figures[name])
            if value is None:
                values.append("-")
            elif isinstance(value, int):
                values.append(str(value))
            elif value > 100:
                values.append(f"{value:,.0f}")
            else:
                values.append(f"{value:.3f}")
        print(_row(label, values), file=out)
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
        a, b = (figures[n]["dev"]["words_per_second"] for n in names)
        print(f"speed ratio on dev ({names[0]} / {names[1]}): {a / b:.1f}x", file=out)
    engine_dev = figures[names[0]]["dev"]
    buffer = io.StringIO()
    scorer.report(engine_dev, scorer.load_gold(str(deid_dir / "dev.jsonl")), 0, out=buffer)
    print("\nscore.py report for the BSB engine on dev.jsonl:\n" + buffer.getvalue(), file=out)
    if predictions is not None:
        with open(predictions, "w", encoding="utf-8") as handle:
            for doc_id, spans in engine_dev["_predictions"].items():
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
    parser.add_argument("--no-presidio", action="store_true", help="skip the baseline")
    parser.add_argument("--predictions", type=Path, help="write the engine's dev predictions")
    parser.set_defaults(func=_cmd)


def _cmd(args) -> int:
    if not (args.data / "deid" / "dev.jsonl").is_file():
        print(f"bsb bench deid: no dev set at {args.data / 'deid' / 'dev.jsonl'}")
        return 2
    run(args.data, with_presidio=not args.no_presidio, predictions=args.predictions)
    return 0

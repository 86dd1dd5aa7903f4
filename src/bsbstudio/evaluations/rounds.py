"""The next round of an evaluation (step 9 leads back to step 1), and how the rounds compare.

How a round is represented: the next round is a NEW ``Evaluation`` whose ``previous_round`` points
to the last one, with a ``Round`` row numbered one higher. Every table of material (informants,
consent, interviews, recordings, transcripts, codes, reports, measures) and every permission, audit
entry, dashboard and export is per evaluation. Rounds kept inside one evaluation would need a round
key on each of those tables and a filter in every query, and one missed filter would mix the
confidential material of two rounds. A new evaluation starts empty by construction, so only what
we copy on purpose goes across: the plan (mandate, commissioner, sites, goals, problem statements),
the theme guide (themes with their goal links, informant groups, questions, frozen as the next
guide version) and the process leaders' memberships. Nothing said by informants is copied, and the
team signs the confidentiality declaration of the new round afresh.

The comparison matches themes and sites by name, since the copies are new rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.models import Membership, Role
from bsbstudio.accounts.policy import Action, require
from bsbstudio.errors import UserFacingError, gettext_noop

from .models import Evaluation, Goal, ProblemStatement, Round, Site


class RoundRefused(UserFacingError):
    """The next round cannot be started; nothing was made."""


REFUSALS = {
    "exists": gettext_noop(
        "This evaluation already has a next round (“%(name)s”). Nothing was made."
    ),
    "slug_taken": gettext_noop(
        "The short name “%(slug)s” is already used by another evaluation. Choose another one."
    ),
}


def round_number(evaluation) -> int:
    """The evaluation's round number (1 when it has no Round row)."""
    return evaluation.rounds.aggregate(n=Max("number"))["n"] or 1


def previous_rounds(evaluation) -> list[Evaluation]:
    """The earlier rounds, the last one first."""
    rounds, current = [], evaluation.previous_round
    while current is not None and current not in rounds:
        rounds.append(current)
        current = current.previous_round
    return rounds


@transaction.atomic
def start_next_round(actor, evaluation: Evaluation, name: str, slug: str) -> Evaluation:
    """Make the next round of ``evaluation``: plan, sites, guide and process leaders, no data."""
    require(actor, evaluation, Action.EDIT_PLAN)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    following = Evaluation.objects.filter(previous_round=evaluation).first()
    if following is not None:
        raise RoundRefused("exists", REFUSALS["exists"], name=following.name)
    if Evaluation.objects.filter(slug=slug).exists():
        raise RoundRefused("slug_taken", REFUSALS["slug_taken"], slug=slug)
    new = Evaluation.objects.create(
        name=name,
        slug=slug,
        commissioner=evaluation.commissioner,
        mandate=evaluation.mandate,
        replacement_mode=evaluation.replacement_mode,
        created_by=actor,
        previous_round=evaluation,
    )
    number = round_number(evaluation) + 1
    Round.objects.create(evaluation=new, number=number, started_on=timezone.localdate())
    goals = _copy_plan(evaluation, new)
    version = _copy_guide(actor, evaluation, new, goals)
    leaders = set(
        evaluation.memberships.filter(role=Role.PROCESS_LEADER).values_list("user_id", flat=True)
    )
    leaders.add(actor.pk)  # whoever starts the round leads it, as with a new evaluation
    Membership.objects.bulk_create(
        Membership(evaluation=new, user_id=user_id, role=Role.PROCESS_LEADER)
        for user_id in sorted(leaders)
    )
    record(actor, "round.start", new, new, round=number, previous=evaluation.slug, guide=version)
    record(actor, "round.next", evaluation, evaluation, next=new.slug, round=number)
    return new


def _copy_plan(old: Evaluation, new: Evaluation) -> dict:
    """Copy sites, goals and problem statements; return the old goal and statement ids mapped."""
    for site in old.sites.order_by("order", "name"):
        Site.objects.create(
            evaluation=new, name=site.name, description=site.description, order=site.order
        )
    mapped = {}
    for goal in old.goals.order_by("order", "id"):
        mapped["goal", goal.pk] = Goal.objects.create(
            evaluation=new,
            text=goal.text,
            source_document=goal.source_document,
            page=goal.page,
            order=goal.order,
        )
    for statement in old.problem_statements.order_by("order", "id"):
        mapped["statement", statement.pk] = ProblemStatement.objects.create(
            evaluation=new, text=statement.text, order=statement.order
        )
    return mapped


def _copy_guide(actor, old: Evaluation, new: Evaluation, plan: dict) -> int:
    """Copy themes (tree and goal links), groups and questions; freeze them as the next version."""
    from bsbstudio.analysis.actions import sync_guide_codes
    from bsbstudio.guide.models import GuideQuestion, GuideVersion, InformantGroup, Theme
    from bsbstudio.guide.versions import snapshot

    groups = {
        group.pk: InformantGroup.objects.create(
            evaluation=new, code=group.code, name=group.name, order=group.order
        )
        for group in old.informant_groups.order_by("order", "id")
    }
    themes: dict[int, Theme] = {}
    old_themes = list(
        old.themes.order_by("order", "id").prefetch_related("goals", "problem_statements")
    )
    pending = old_themes
    while pending:  # parents before their children, whatever the order says
        waiting = []
        for theme in pending:
            if theme.parent_id and theme.parent_id not in themes:
                waiting.append(theme)
                continue
            copy = Theme.objects.create(
                evaluation=new,
                parent=themes.get(theme.parent_id),
                name=theme.name,
                description=theme.description,
                order=theme.order,
            )
            copy.goals.set([plan["goal", g.pk] for g in theme.goals.all()])
            copy.problem_statements.set(
                [plan["statement", s.pk] for s in theme.problem_statements.all()]
            )
            themes[theme.pk] = copy
        if len(waiting) == len(pending):  # a broken tree: keep the rest at the top level
            for theme in waiting:
                theme.parent_id = None
        pending = waiting
    GuideQuestion.objects.bulk_create(
        GuideQuestion(
            theme=themes[q.theme_id],
            group=groups[q.group_id],
            text=q.text,
            subquestions=q.subquestions,
        )
        for q in GuideQuestion.objects.filter(theme__evaluation=old).order_by(
            "theme_id", "group_id"
        )
        if q.theme_id in themes and q.group_id in groups
    )
    sync_guide_codes(new)
    last = old.guide_versions.aggregate(n=Max("number"))["n"] or 0
    GuideVersion.objects.create(
        evaluation=new, number=last + 1, snapshot=snapshot(new), frozen_by=actor
    )
    return last + 1


@dataclass
class Tally:
    """Quotes of one theme at one site in one round, by polarity."""

    positive: int = 0
    critical: int = 0
    neutral: int = 0

    @property
    def total(self) -> int:
        """All quotes counted."""
        return self.positive + self.critical + self.neutral


@dataclass
class ComparisonRow:
    """One theme at one site: the last round's quotes beside this round's."""

    theme: str
    site: str
    last: Tally = field(default_factory=Tally)
    this: Tally = field(default_factory=Tally)


def _tallies(evaluation) -> dict[tuple[str, str], Tally]:
    """Quote counts by (theme name, site name), as the matrix counts them.

    Like the matrix, a quote counts when it comes from an informant's turn (an informant group);
    quotes from an interviewer's turn are left out.
    """
    from bsbstudio.analysis.models import Code
    from bsbstudio.analysis.queries import matrix_segments

    code_names = dict(Code.objects.filter(evaluation=evaluation).values_list("pk", "name"))
    site_names = dict(evaluation.sites.values_list("pk", "name"))
    tallies: dict[tuple[str, str], Tally] = {}
    for segment in matrix_segments(evaluation):
        if segment.group_id is None:
            continue
        key = (code_names.get(segment.theme_id, ""), site_names.get(segment.site_id, ""))
        tally = tallies.setdefault(key, Tally())
        setattr(tally, segment.polarity, getattr(tally, segment.polarity) + 1)
    return tallies


def comparison_rows(evaluation, previous) -> list[ComparisonRow]:
    """Per theme and site, this round's quotes beside the previous round's, matched by name.

    Themes come in this round's order (then themes only the last round had), sites likewise.
    """
    from bsbstudio.analysis.models import Code

    this, last = _tallies(evaluation), _tallies(previous)
    theme_order = list(
        dict.fromkeys(
            [
                *Code.objects.filter(evaluation=evaluation)
                .order_by("kind", "order", "id")
                .values_list("name", flat=True),
                *Code.objects.filter(evaluation=previous)
                .order_by("kind", "order", "id")
                .values_list("name", flat=True),
            ]
        )
    )
    site_order = list(
        dict.fromkeys(
            [
                *evaluation.sites.order_by("order", "name").values_list("name", flat=True),
                *previous.sites.order_by("order", "name").values_list("name", flat=True),
                "",
            ]
        )
    )
    rows = []
    for theme in theme_order:
        for site in site_order:
            key = (theme, site)
            if key in this or key in last:
                rows.append(
                    ComparisonRow(theme, site, last.get(key, Tally()), this.get(key, Tally()))
                )
    return rows

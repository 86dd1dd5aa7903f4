"""Start a new evaluation from a starter: its guide, goals and confidentiality declaration.

Lives in the guide step because it writes the guide; the plan step's create page calls it.
"""

from __future__ import annotations

from django.db import transaction

from bsbstudio.accounts import confidentiality
from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, require
from bsbstudio.evaluations.actions import create_evaluation
from bsbstudio.evaluations.models import Goal

from ..models import GuideQuestion, InformantGroup, Theme
from . import loader


@transaction.atomic
def fill_from_starter(actor, evaluation, starter: loader.Starter) -> dict[str, int]:
    """Add the starter's groups, themes, questions and goals, and its declaration text.

    Meant for a new, empty evaluation; what it made is counted in the audit record.
    """
    from bsbstudio.analysis.actions import sync_guide_codes

    require(actor, evaluation, Action.EDIT_GUIDE)
    require(actor, evaluation, Action.EDIT_PLAN)
    groups = {
        code: InformantGroup.objects.create(evaluation=evaluation, code=code, name=name, order=n)
        for n, (code, name) in enumerate(starter.groups)
    }
    themes: dict[str, Theme] = {}
    questions: list[GuideQuestion] = []
    order = 0

    def add(theme: loader.StarterTheme, parent: Theme | None) -> None:
        nonlocal order
        row = Theme.objects.create(
            evaluation=evaluation,
            parent=parent,
            name=theme.name,
            description=theme.description,
            order=order,
        )
        order += 1
        themes[theme.name.casefold()] = row
        questions.extend(
            GuideQuestion(
                theme=row,
                group=groups[code],
                text=question.text,
                subquestions="\n".join(question.follow_up),
            )
            for code, question in theme.questions.items()
        )
        for child in theme.subthemes:
            add(child, row)

    for theme in starter.themes:
        add(theme, None)
    GuideQuestion.objects.bulk_create(questions)
    for number, goal in enumerate(starter.goals):
        row = Goal.objects.create(evaluation=evaluation, text=goal.text, order=number)
        for name in goal.themes:
            themes[name.casefold()].goals.add(row)
    if not evaluation.declarations.exists():
        confidentiality.revise(actor, evaluation, starter.text("declaration", evaluation.name))
    sync_guide_codes(evaluation)
    made = {"groups": len(groups), "themes": len(themes), "questions": len(questions)}
    record(actor, "evaluation.starter", evaluation, evaluation, starter=starter.key, **made)
    return {**made, "goals": len(starter.goals)}


@transaction.atomic
def create_from_starter(actor, form, starter_key: str = ""):
    """Create an evaluation from a valid form, filled from a starter when one is chosen.

    One transaction: a starter that cannot be applied leaves no evaluation behind.
    """
    evaluation = create_evaluation(actor, form)
    if starter_key:
        fill_from_starter(actor, evaluation, loader.get(starter_key))
    return evaluation

"""Demo auto-coding: the process leader coded some themes by rule, and suggestions wait for a person.

In the ambulant-team evaluation, the rules below were previewed and applied to every place they
found (outside the staff focus group, which two coders code blind), as a process leader would do
to get started on themes with clear words. The classifier is then trained at once (not in the
background) so that suggestions are ready to accept when the demo opens. Idempotent: a rule
leaves out the places already coded to its theme, and retraining replaces the open suggestions.
"""

from __future__ import annotations

from bsbstudio.analysis import autocode
from bsbstudio.analysis.models import Code, DoubleCoding
from bsbstudio.evaluations.models import Evaluation

SLUG = "ambulant-team-lindvag-2026"

# (word or phrase, theme)
RULES = [
    ("kriseplan*", "Krise og kriseplan"),
    ("NAV", "NAV og bolig"),
    ("bolig*", "NAV og bolig"),
    ("medisin*", "Medisiner"),
    ("fastlege*", "Fastlege og DPS"),
    ("DPS", "Fastlege og DPS"),
    ("pårørende*", "Pårørende"),
    ("vent*", "Tilgang og ventetid"),
    ('"individuell plan"', "Individuell plan og koordinator"),
    ("koordinator*", "Individuell plan og koordinator"),
    ("ansvarsgruppe*", "Ansvarsgruppe"),
    ("aktivitet*", "Aktivitet og meningsfull hverdag"),
    ("jobb*", "Aktivitet og meningsfull hverdag"),
    ("bestem*", "Medvirkning"),
]


def load_autocode(leader) -> None:
    """Apply the rules once and train the suggestions of the ambulant-team evaluation."""
    evaluation = Evaluation.objects.filter(slug=SLUG).first()
    if evaluation is None:
        return
    codes = {c.name: c for c in Code.objects.filter(evaluation=evaluation)}
    blind = DoubleCoding.objects.filter(closed_at__isnull=True).values_list("text_id", flat=True)
    texts = list(
        autocode.newest_texts(evaluation).exclude(pk__in=blind).values_list("pk", flat=True)
    )
    for query, theme in RULES:
        if theme not in codes or not texts:
            continue
        rule = autocode.Rule(code=codes[theme], query=query, texts=texts)
        try:
            places = autocode.preview(leader, evaluation, rule).turns
            if places:
                autocode.apply(
                    leader, evaluation, rule, [t.pk for t in places], "neutral", "direct"
                )
        except autocode.AutocodeError:
            continue
    autocode.retrain(evaluation)

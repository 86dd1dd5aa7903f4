"""Demo partial report: the Lindvåg site whose process report is approved gets an approved delrapport.

Lindvåg's dialogue conference (across all sites) has approved minutes, so the partial report
shows what it confirmed, nuanced or contested, and the site's measures. Made through the real
actions. Idempotent: an evaluation that already has a partial report is left as it is.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import translation

from bsbstudio.evaluations.models import Evaluation
from bsbstudio.reports import partial
from bsbstudio.reports.actions import approve_report, mark_reviewed, pending_findings
from bsbstudio.reports.models import Report

SLUG = "ambulant-team-lindvag-2026"
INTRODUCTION = (
    "Denne delrapporten bygger på prosessrapporten og på det deltakerne sa på "
    "dialogkonferansen. Den er skrevet for ledere og ansatte på stedet, og for brukerne som "
    "var med."
)
COMMENT = "Konferansen var enig i hovedpunktene. Vi tar dette videre i arbeidet med tiltakene."


def load_partial_report(leader) -> None:
    """Write and approve the partial report of Lindvåg's site with an approved process report."""
    evaluation = Evaluation.objects.filter(slug=SLUG).first()
    if evaluation is None or evaluation.reports.filter(kind=Report.Kind.PARTIAL).exists():
        return
    process = (
        evaluation.reports.filter(kind=Report.Kind.PROCESS, site__isnull=False)
        .order_by("state", "site__order")  # "approved" sorts before "draft"
        .select_related("site")
        .first()
    )
    if process is None:
        return
    with transaction.atomic():
        report = partial.create_partial_report(leader, evaluation, process.site)
        sections = list(report.sections.order_by("theme__order", "pk"))
        partial.save_partial_report(leader, report, INTRODUCTION, {sections[0].pk: COMMENT})
        report.refresh_from_db()
        _review_plan_words(leader, evaluation, report)
        with translation.override("nb"):  # the frozen file is in the demo's language
            approve_report(leader, report)


def _review_plan_words(leader, evaluation, report) -> None:
    """Confirm findings that are the plan's own site and theme names, as a reviewer would.

    Anything else the leak guard finds is left, so the approval fails loudly instead of hiding it.
    """
    words = {w for site in evaluation.sites.all() for w in site.name.split()}
    words |= {w for theme in evaluation.themes.all() for w in theme.name.split()}
    harmless = [f for f in pending_findings(report) if set(f.text.split()) <= words]
    if harmless:
        mark_reviewed(leader, report, harmless)

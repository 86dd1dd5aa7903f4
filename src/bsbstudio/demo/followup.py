"""Demo follow-up: the Lindvåg evaluation's measures in several states, with dated history.

Read from ``data/followup.yaml`` and made through the real actions. Idempotent: an evaluation
that already has measures is left as it is.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from bsbstudio.evaluations.models import Evaluation
from bsbstudio.followup.actions import change_status, create_measure
from bsbstudio.followup.forms import MeasureForm

DATA = Path(__file__).parent / "data" / "followup.yaml"


def load_followup(leader) -> None:
    """Add the demo measures to the Lindvåg evaluation, once."""
    spec = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    evaluation = Evaluation.objects.filter(slug=spec["evaluation"]).first()
    if evaluation is None or evaluation.measures.exists():
        return
    today = timezone.localdate()
    with transaction.atomic():
        for item in spec["measures"]:
            _measure(leader, evaluation, item, today)


def _measure(leader, evaluation, item, today) -> None:
    def day(offset):
        return today + datetime.timedelta(days=offset) if offset is not None else None

    first, *later = item["history"]
    sites = {site.name: site.pk for site in evaluation.sites.all()}
    themes = {theme.name: theme.pk for theme in evaluation.themes.all()}
    form = MeasureForm(
        {
            "text": item["text"],
            "site": sites.get(item.get("site"), ""),
            "themes": [themes[name] for name in item.get("themes", []) if name in themes],
            "owner": item.get("owner", ""),
            "due": day(item.get("due")) or "",
            "status": first["status"],
        },
        evaluation=evaluation,
    )
    if not form.is_valid():
        raise ValueError(f"demo measure {item['text']!r}: {form.errors.as_text()}")
    measure = create_measure(leader, evaluation, form, on=day(first["day"]))
    for change in later:
        change_status(
            leader, measure, change["status"], change.get("comment", ""), day(change["day"])
        )

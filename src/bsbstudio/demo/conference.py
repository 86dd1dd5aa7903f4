"""Demo dialogue conferences: a held Lindvåg conference and Storhavn's district conferences.

Read from ``data/conference.yaml`` and made through the real actions (``conference.actions``),
so the audit log, the agenda prefill, the emergent theme and the approval are as in real use.
Idempotent: an evaluation that already has conferences is left as it is.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml
from django.db import transaction

from bsbstudio.accounts.models import Role
from bsbstudio.analysis.actions import sync_guide_codes
from bsbstudio.analysis.models import Code
from bsbstudio.conference import actions
from bsbstudio.evaluations.models import Evaluation
from bsbstudio.reports.models import Report

DATA = Path(__file__).parent / "data" / "conference.yaml"


def load_conferences(leader) -> None:
    """Add the demo conferences to each demo evaluation that exists and has none yet."""
    spec = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    for slug, conferences in spec.items():
        evaluation = Evaluation.objects.filter(slug=slug).first()
        if evaluation is None or evaluation.conferences.exists():
            continue
        sync_guide_codes(evaluation)
        with transaction.atomic():
            for item in conferences:
                _conference(leader, evaluation, item)


def _time(text):
    return datetime.time.fromisoformat(text) if text else None


def _conference(leader, evaluation, item) -> None:
    site = evaluation.sites.get(name=item["site"]) if item.get("site") else None
    reports = evaluation.reports.filter(kind=Report.Kind.PROCESS)
    leaders = [
        m.user
        for m in evaluation.memberships.filter(role=Role.PROCESS_LEADER).select_related("user")
    ]
    conference = actions.create_conference(
        leader,
        evaluation,
        {
            "title": item["title"],
            "site": site,
            "date": item.get("date"),
            "start_time": _time(item.get("start")),
            "end_time": _time(item.get("end")),
            "place": item.get("place", ""),
            "leaders": leaders,
            "process_report": (reports.filter(site=site) if site else reports).first(),
            "invited_groups": list(evaluation.informant_groups.all()),
        },
    )
    agenda = list(conference.agenda_items.order_by("order"))
    for entry, (start, end) in zip(agenda, item.get("agenda_times", []), strict=False):
        actions.save_agenda_item(
            leader,
            conference.pk,
            entry.pk,
            {"title": entry.title, "start_time": _time(start), "end_time": _time(end)},
        )
    actions.set_participant_counts(leader, conference.pk, item.get("participants", {}))
    themes = {t.name: t for t in evaluation.themes.all()}
    codes = {c.name: c for c in Code.objects.filter(evaluation=evaluation)}
    for group_spec in item.get("groups", []):
        group = actions.save_group(
            leader,
            conference.pk,
            None,
            {
                "name": group_spec["name"],
                "roles": group_spec.get("roles", []),
                "themes": [themes[name] for name in group_spec.get("themes", [])],
                "questions": group_spec.get("questions", "").strip(),
            },
        )
        outputs = [
            actions.save_output(leader, conference.pk, group.pk, None, kind, text)
            for kind, text in group_spec.get("outputs", [])
        ]
        for theme_name, status, index in group_spec.get("validation", []):
            actions.add_validation(
                leader,
                conference.pk,
                outputs[index].pk,
                codes.get(theme_name),
                status,
                theme_name if status == "new" else "",
            )
    actions.save_notes(
        leader,
        conference.pk,
        item.get("plenum_notes", "").strip(),
        item.get("summary", "").strip(),
    )
    if item.get("approve"):
        actions.approve_minutes(leader, conference.pk)

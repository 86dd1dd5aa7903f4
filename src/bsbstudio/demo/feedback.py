"""Demo evaluation-form answers: 14 answers to the Lindvåg conference, through the real actions.

Read from ``data/feedback.yaml``. A link is opened, the answers are saved through it (dated the
conference day), and the link is closed again, as after a real conference. Idempotent: a
conference that already has answers is left as it is.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction

from bsbstudio.conference import feedback
from bsbstudio.conference.models import ordered_conferences
from bsbstudio.evaluations.models import Evaluation

DATA = Path(__file__).parent / "data" / "feedback.yaml"


def load_feedback(leader) -> None:
    """Answer the Lindvåg evaluation's first dated conference's form, once."""
    spec = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    evaluation = Evaluation.objects.filter(slug=spec["evaluation"]).first()
    if evaluation is None:
        return
    conference = ordered_conferences(evaluation).filter(date__isnull=False).first()
    if conference is None or conference.feedback_answers.exists():
        return
    with transaction.atomic():
        link = feedback.open_link(leader, conference)
        for item in spec["answers"]:
            feedback.save_answer(
                link,
                {
                    "usefulness": item["usefulness"],
                    "said_what_wanted": item["said"],
                    "role": item["role"],
                    "missing": item.get("missing", ""),
                    "other": item.get("other", ""),
                },
                on=conference.date,
            )
        feedback.close_link(leader, link)

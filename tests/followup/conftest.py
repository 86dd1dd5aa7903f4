"""Fixtures for follow-up: English pages, people by role, and measures in several states."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from bsbstudio.followup.models import Measure, MeasureStatusChange


def url(name, evaluation, *args):
    return reverse(name, args=[evaluation.slug, *args])


def add_measure(evaluation, text, status="proposed", *, site=None, themes=(), due=None):
    """A measure made directly, with its first history entry (as the action makes it)."""
    measure = Measure.objects.create(
        evaluation=evaluation, text=text, status=status, site=site, due=due
    )
    measure.themes.set(themes)
    MeasureStatusChange.objects.create(
        measure=measure, to_status=status, changed_on=datetime.date(2026, 1, 5)
    )
    return measure


@pytest.fixture
def measures(evaluation):
    """Four measures: open overdue in Nord (Tilgang), started in Sør, done, dropped."""
    north, south = evaluation.sites.get(name="Nord"), evaluation.sites.get(name="Sør")
    access, respect = (
        evaluation.themes.get(name="Tilgang"),
        evaluation.themes.get(name="Å bli møtt"),
    )
    past = datetime.date(2026, 2, 1)
    future = datetime.date.today() + datetime.timedelta(days=60)
    return {
        "overdue": add_measure(
            evaluation, "Kortere ventetid", site=north, themes=[access], due=past
        ),
        "started": add_measure(
            evaluation, "Faste kontaktpersoner", "started", site=south, themes=[respect], due=future
        ),
        "done": add_measure(evaluation, "Kriseplan for alle", "done", site=north, due=past),
        "dropped": add_measure(evaluation, "Nytt venterom", "dropped"),
    }

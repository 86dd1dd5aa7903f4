"""Existing measures survive the move from "responsible" to "owner" and get a first history entry."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("followup", "0001_initial")]
AFTER = [("followup", "0002_measure_owner_themes_history")]


@pytest.mark.django_db(transaction=True)
def test_existing_measures_are_migrated():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    Evaluation = old_apps.get_model("evaluations", "Evaluation")
    Measure = old_apps.get_model("followup", "Measure")
    evaluation = Evaluation.objects.create(name="Gammel", slug="gammel")
    Measure.objects.create(
        evaluation=evaluation, text="Faste hjelpere", responsible="Teamleder", status="started"
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    measure = new_apps.get_model("followup", "Measure").objects.get()
    assert (measure.text, measure.owner, measure.status) == (
        "Faste hjelpere",
        "Teamleder",
        "started",
    )
    history = new_apps.get_model("followup", "MeasureStatusChange").objects.get()
    assert (history.measure_id, history.from_status, history.to_status) == (
        measure.pk,
        "",
        "started",
    )
    # Leave the database fully migrated for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

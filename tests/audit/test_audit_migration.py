"""Entries written before the log was a chain get chained by the migration, in id order."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from bsbstudio.accounts.audit import GENESIS, verify
from bsbstudio.accounts.models import AuditEvent

BEFORE_CHAIN = ("accounts", "0004_organisation_administrators")


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_existing_entries(django_user_model):
    user = django_user_model.objects.create_user("kari", first_name="Kari", last_name="Nord")
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    _migrate([BEFORE_CHAIN])
    try:
        at = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            for action in ("old.first", "old.second", "old.third"):
                cursor.execute(
                    f"INSERT INTO {AuditEvent._meta.db_table} "
                    "(at, user_id, evaluation_id, action, object_type, object_id, detail) "
                    "VALUES (%s, %s, NULL, %s, '', '', %s)",
                    [at, user.pk, action, '{"b": [1, 2], "a": "æ"}'],
                )
    finally:
        _migrate(leaves)
    events = list(AuditEvent.objects.order_by("seq"))
    assert [(e.seq, e.action) for e in events] == [
        (1, "old.first"),
        (2, "old.second"),
        (3, "old.third"),
    ]
    assert events[0].prev_hash == GENESIS and events[1].prev_hash == events[0].hash
    assert {e.user_label for e in events} == {"Kari Nord (kari)"}
    assert verify().ok

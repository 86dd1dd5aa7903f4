"""The audit log is one hash chain: append-only in the app, tamper-evident in the database."""

from __future__ import annotations

import pytest
from django.db import connection

from bsbstudio.accounts.audit import GENESIS, entry_hash, record, verify
from bsbstudio.accounts.models import AuditEvent, AuditLogIsAppendOnly
from bsbstudio.evaluations.models import Evaluation

TABLE = AuditEvent._meta.db_table


@pytest.fixture
def chain(db, make_user):
    """Five entries by one user in one evaluation, oldest first."""
    user = make_user("kari", first_name="Kari", last_name="Nordmann")
    evaluation = Evaluation.objects.create(name="Kjede", slug="kjede")
    return [
        record(user, f"test.step{i}", evaluation, evaluation, n=i, tags=("a", "b"))
        for i in range(5)
    ]


def _sql(statement: str, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_each_entry_carries_the_hash_of_the_one_before(chain):
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == GENESIS
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
    assert all(entry_hash(e) == e.hash for e in events)
    assert events[0].user_label == "Kari Nordmann (kari)"
    assert events[0].detail == {"n": 0, "tags": ["a", "b"]}
    result = verify()
    assert result.ok and result.checked == 5


def test_the_app_can_neither_change_nor_delete_an_entry(chain):
    event = AuditEvent.objects.get(seq=3)
    event.action = "forged"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(seq=3).update(action="forged")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(seq=3).delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.bulk_create([AuditEvent(seq=99, action="forged")])
    assert AuditEvent.objects.get(seq=3).action == "test.step2"
    assert AuditEvent.objects.count() == 5
    assert verify().ok


def test_an_entry_changed_in_the_database_is_named(chain):
    target = chain[2]
    _sql(f"UPDATE {TABLE} SET detail = %s WHERE id = %s", ['{"n": 99}', target.pk])
    result = verify()
    assert not result.ok
    assert result.broken.pk == target.pk
    assert result.checked == 2
    assert "changed" in result.reason


def test_an_entry_given_to_another_user_in_the_database_is_named(chain, make_user):
    other = make_user("ola")
    _sql(f"UPDATE {TABLE} SET user_id = %s WHERE id = %s", [other.pk, chain[1].pk])
    result = verify()
    assert result.broken.pk == chain[1].pk


def test_an_entry_deleted_from_the_middle_breaks_the_chain_at_the_next(chain):
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", [chain[2].pk])
    result = verify()
    assert not result.ok
    assert result.broken.pk == chain[3].pk
    assert "missing" in result.reason


def test_an_entry_deleted_from_the_end_is_noticed(chain):
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", [chain[4].pk])
    result = verify()
    assert not result.ok
    assert result.broken.pk == chain[3].pk
    assert "after it" in result.reason


def test_a_rehashed_forgery_still_breaks_the_link_to_the_next_entry(chain):
    forged = AuditEvent.objects.get(pk=chain[1].pk)
    forged.action = "forged"
    _sql(
        f"UPDATE {TABLE} SET action = %s, hash = %s WHERE id = %s",
        ["forged", entry_hash(forged), forged.pk],
    )
    assert verify().broken.pk == chain[2].pk


def test_a_deleted_users_entries_keep_who_it_was_and_the_chain_holds(chain):
    user = chain[0].user
    user.delete()
    event = AuditEvent.objects.get(pk=chain[0].pk)
    assert event.user is None
    assert event.user_label == "Kari Nordmann (kari)"
    assert verify().ok


def test_a_deleted_evaluation_leaves_the_chain_whole(chain):
    Evaluation.objects.get(slug="kjede").delete()
    assert AuditEvent.objects.filter(evaluation=None).count() == 5
    assert verify().ok


def test_an_anonymous_event_is_chained_too(db):
    event = record(None, "system.tick")
    assert event.user_label == "" and event.user_key is None
    assert verify().ok

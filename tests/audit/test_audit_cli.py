"""`bsb audit verify` says OK with the count, or names the first broken entry and exits 1."""

from __future__ import annotations

import pytest
from django.db import connection

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.models import AuditEvent
from bsbstudio.cli.main import main

TABLE = AuditEvent._meta.db_table


@pytest.fixture
def events(db, make_user):
    user = make_user("kari")
    return [record(user, f"test.step{i}", n=i) for i in range(4)]


def test_verify_prints_ok_with_the_count(events, capsys):
    assert main(["audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK")
    assert "4 entries" in out


def test_verify_names_an_entry_changed_with_sql(events, capsys):
    target = events[1]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET action = %s WHERE id = %s", ["forged", target.pk])
    assert main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("BROKEN")
    assert f"id {target.pk} " in out
    assert "forged" in out  # the action as it now stands
    assert target.at.isoformat() in out


def test_verify_names_the_break_after_a_deleted_row(events, capsys):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [events[1].pk])
    assert main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert f"id {events[2].pk} " in out
    assert "test.step2" in out
    assert "(2) are missing" in out

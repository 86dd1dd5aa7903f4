"""Concurrent writers append to one chain, never fork it (PostgreSQL; SQLite has one writer)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from bsbstudio.accounts.audit import record, verify
from bsbstudio.accounts.models import AuditEvent

WRITERS, EACH = 6, 15


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain():
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite's IMMEDIATE transactions admit one writer; the test database is shared memory"
        )
    errors = []
    start = threading.Barrier(WRITERS)

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(EACH):
                with transaction.atomic():
                    record(None, "test.concurrent", writer=n, i=i)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.count() == WRITERS * EACH
    result = verify()
    assert result.ok, result.reason
    assert result.checked == WRITERS * EACH

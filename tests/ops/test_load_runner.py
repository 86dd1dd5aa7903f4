"""`bsb bench load` end to end, small: 3 users for 10 s on SQLite behind gunicorn, no failures.

locust runs as a subprocess (it gevent-patches the standard library); this process never
imports it.
"""

import os

import pytest

from bsbstudio.loadtest.runner import load_test

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the short run is on SQLite; `bsb bench load --database` covers PostgreSQL",
)


def test_three_users_for_ten_seconds_give_the_table_and_no_failures():
    outcome = load_test(
        users=3,
        seconds=10,
        workers=2,
        database_url=None,
        max_requests=300,
        demo_file="ambulant_team.yaml",
    )
    assert outcome["rows"], outcome["locust_output"]
    names = {row["name"] for row in outcome["rows"]}
    assert {"log-in page", "log in (POST)", "coding workbench"} <= names
    assert "| page type (SQLite) | requests | failures | median ms | p95 ms |" in outcome["table"]
    failures = sum(row["failures"] for row in outcome["rows"])
    assert failures == 0, (outcome["failures"], outcome["server_errors"])

"""A worker killed mid-task (SIGKILL): the next worker retries the job or ends it clearly.

The worker and the control program run as subprocesses on a file database of their own (SQLite)
or on the test database (PostgreSQL, committed data through ``transactional_db``).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from bsbstudio.jobs.api import INTERRUPTED

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent


@pytest.fixture
def worker_env(transactional_db, tmp_path):
    env = dict(os.environ)
    env["BSB_DATA_DIR"] = str(tmp_path / "data")
    env["BSB_JOBS_STALE_SECONDS"] = "2"
    env["BSB_RETENTION_INTERVAL_MINUTES"] = "0"
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), str(REPO / "src"), env.get("PYTHONPATH", "")])
    env.pop("BSB_TASKS_URL", None)
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or 'localhost'}:"
            f"{s['PORT'] or 5432}/{s['NAME']}"
        )
    else:
        env.pop("DATABASE_URL", None)
    return env


def control(env, *args, timeout=120):
    done = subprocess.run(
        [sys.executable, str(HERE / "jobctl.py"), *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.stdout.strip().splitlines()[-1]


def start_worker(env, log):
    return subprocess.Popen(
        [sys.executable, "-m", "bsbstudio.cli.main", "worker"],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


@pytest.mark.parametrize(
    ("kind", "state", "attempts", "message"),
    [("test.count", "done", 2, ""), ("test.fragile", "failed", 1, INTERRUPTED)],
)
def test_killed_worker_leaves_no_job_running(worker_env, tmp_path, kind, state, attempts, message):
    job_id = int(control(worker_env, "start", kind, 12, 0.5))
    with open(tmp_path / "worker1.log", "wb") as log:
        first = start_worker(worker_env, log)
        try:
            seen = json.loads(control(worker_env, "wait", job_id, "progress", 90))
            assert seen["state"] == "running", (tmp_path / "worker1.log").read_text()
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(10)
    with open(tmp_path / "worker2.log", "wb") as log:
        second = start_worker(worker_env, log)
        try:
            end = json.loads(control(worker_env, "wait", job_id, "finished", 120))
        finally:
            second.terminate()
            second.wait(20)
    assert end["state"] == state, (tmp_path / "worker2.log").read_text()
    assert end["attempts"] == attempts
    assert end["message"] == message

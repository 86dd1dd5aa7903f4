"""The Redis (RQ) path for real: a redis-server on a free port, a job enqueued through the RQ
backend of django-tasks-rq, and an RQ worker in burst mode that runs it to the end."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest

from bsbstudio.jobs import api
from bsbstudio.jobs.models import Job

REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    if not shutil.which(REDIS):
        pytest.skip("redis-server is not installed (make system-deps installs it)")
    port = free_port()
    server = subprocess.Popen(
        [
            REDIS,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("redis-server did not start")
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)


@pytest.mark.django_db
def test_a_job_runs_through_redis(
    evaluation, redis_url, settings, tmp_path, django_capture_on_commit_callbacks
):
    import django_rq
    from django_tasks_rq import Job as RQJob
    from rq.worker import SimpleWorker

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS_URL = redis_url
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": redis_url}}
    with django_capture_on_commit_callbacks(execute=True):
        job = api.start("test.count", evaluation=evaluation, args={"steps": 3})
    assert Job.objects.get(pk=job.pk).state == Job.State.QUEUED
    queue = django_rq.get_queue("default", job_class=RQJob)
    assert queue.count == 1
    worker = django_rq.get_worker("default", job_class=RQJob, worker_class=SimpleWorker)
    assert worker.work(burst=True)
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert job.result_file.read() == b"talte til 3"
    assert queue.count == 0

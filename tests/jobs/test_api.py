"""The job API: progress, cancel, idempotency keys, failure messages, results, lost workers."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django.utils.translation import override

from bsbstudio.jobs import api
from bsbstudio.jobs.models import Job

pytestmark = pytest.mark.django_db


def test_a_job_runs_to_done_with_progress_and_result(evaluation, immediate, django_user_model):
    leader = django_user_model.objects.get(username="process_leader")
    job = api.start("test.count", evaluation=evaluation, user=leader, args={"steps": 4})
    assert job.state == Job.State.DONE
    assert (job.done, job.total, job.unit, job.stage) == (4, 4, "pages", "counting")
    assert job.attempts == 1 and job.started_by == leader
    assert job.result_filename == "telling.txt"
    assert job.result_file.read() == b"talte til 4"
    assert job.heartbeat_at is not None


def test_progress_is_shown_in_words(evaluation, waiting):
    job = api.start("test.count", evaluation=evaluation, args={"steps": 4})
    Job.objects.filter(pk=job.pk).update(state="running", done=12, total=40, stage="counting")
    job.refresh_from_db()
    with override("nb"):
        assert job.progress_display == "12 av 40 sider"
        assert job.stage_display == "Setter sammen rapporten"
    assert job.percent == 30


def test_same_key_returns_the_unfinished_job(evaluation, waiting):
    first = api.start("test.count", evaluation=evaluation, key="report-1")
    second = api.start("test.count", evaluation=evaluation, key="report-1")
    assert first.pk == second.pk
    other = api.start("test.count", evaluation=evaluation, key="report-2")
    assert other.pk != first.pk
    Job.objects.filter(pk=first.pk).update(state="done")
    again = api.start("test.count", evaluation=evaluation, key="report-1")
    assert again.pk not in (first.pk, other.pk)


def test_cancel_of_a_waiting_job_ends_it_and_the_worker_skips_it(evaluation, waiting):
    job = api.start("test.count", evaluation=evaluation)
    job = api.request_cancel(job)
    assert job.state == Job.State.CANCELLED and job.cancel_requested
    assert api.run(job.pk) == Job.State.CANCELLED
    assert Job.objects.get(pk=job.pk).attempts == 0


def test_cancel_while_running_stops_at_the_next_progress(evaluation, immediate):
    job = api.start("test.count", evaluation=evaluation, args={"steps": 5, "cancel_at": 2})
    assert job.state == Job.State.CANCELLED
    assert job.done == 2
    assert not job.result_filename


def test_failure_message_is_shown_in_the_readers_language(evaluation, immediate):
    job = api.start("test.fail", evaluation=evaluation, args={"filename": "intervju.docx"})
    assert job.state == Job.State.FAILED
    with override("en"):
        assert job.message == "The file intervju.docx could not be read."
    with override("nb"):
        assert job.message == "Filen intervju.docx kunne ikke leses."


def test_an_unexpected_error_ends_the_job_with_a_general_message(evaluation, immediate):
    job = api.start("test.crash", evaluation=evaluation)
    assert job.state == Job.State.FAILED
    with override("nb"):
        assert "boom" not in job.message and job.message.startswith("Arbeidet stoppet")


def test_an_unknown_kind_is_refused_at_start(evaluation, immediate):
    with pytest.raises(LookupError):
        api.start("test.nothing", evaluation=evaluation)


def _lose_worker(job: Job, attempts: int = 1) -> None:
    old = timezone.now() - datetime.timedelta(seconds=3600)
    Job.objects.filter(pk=job.pk).update(state="running", attempts=attempts, heartbeat_at=old)


def test_a_lost_idempotent_job_is_tried_once_more(evaluation, waiting):
    job = api.start("test.count", evaluation=evaluation)
    _lose_worker(job)
    assert api.recover_stale() == 1
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED
    assert api.run(job.pk) == Job.State.DONE
    assert Job.objects.get(pk=job.pk).attempts == 2


def test_a_lost_job_is_not_retried_twice(evaluation, waiting):
    job = api.start("test.count", evaluation=evaluation)
    _lose_worker(job, attempts=2)
    assert api.recover_stale() == 1
    job.refresh_from_db()
    assert job.state == Job.State.FAILED


def test_a_lost_job_that_may_not_repeat_fails_with_a_clear_message(evaluation, waiting):
    job = api.start("test.fragile", evaluation=evaluation)
    _lose_worker(job)
    assert api.recover_stale() == 1
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    with override("nb"):
        assert job.message == "Arbeidet ble avbrutt fordi serveren stoppet. Start det på nytt."


def test_a_job_with_a_fresh_heartbeat_is_left_alone(evaluation, waiting):
    job = api.start("test.fragile", evaluation=evaluation)
    Job.objects.filter(pk=job.pk).update(state="running", attempts=1, heartbeat_at=timezone.now())
    assert api.recover_stale() == 0

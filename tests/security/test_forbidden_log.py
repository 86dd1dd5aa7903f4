"""A refused request (403) is logged as one line with status, path and user id, no traceback."""

from __future__ import annotations

import logging

from django.urls import reverse


def test_403_is_one_log_line(evaluation, client_as, django_user_model, caplog):
    commissioner = django_user_model.objects.get(username="commissioner")
    url = reverse("evaluations:plan", args=[evaluation.slug])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client_as("commissioner").get(url)
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    record = records[0]
    assert record.exc_info is None and record.exc_text is None
    assert record.getMessage() == f"Forbidden 403 GET {url} user={commissioner.pk}"
    assert "Traceback" not in caplog.text
    assert "\n" not in caplog.text.strip()


def test_other_warnings_are_left_alone(evaluation, client_as, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client_as("commissioner").get("/e/test/no-such-page/")
    assert response.status_code == 404
    assert any("Not Found" in r.getMessage() for r in caplog.records)

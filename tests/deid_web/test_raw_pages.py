"""Every page that shows raw material: gated by the declaration, not cached, and audited."""

from __future__ import annotations

import pytest

from bsbstudio.accounts.models import AuditEvent

from .conftest import url

# page -> the audit action its viewing writes
RAW_PAGES = {
    "deid:names": "deid.names.view",
    "deid:review": "transcript.raw.view",
    "transcripts:raw": "transcript.raw.view",
    "transcripts:speakers": "transcript.raw.view",
}


def page_url(page, evaluation, transcript):
    return url(page, evaluation) if page == "deid:names" else url(page, evaluation, transcript.pk)


@pytest.mark.parametrize("page", RAW_PAGES)
def test_raw_page_is_not_cached_and_each_viewing_is_audited(evaluation, leader, transcript, page):
    before = AuditEvent.objects.filter(action=RAW_PAGES[page]).count()
    response = leader.get(page_url(page, evaluation, transcript))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action=RAW_PAGES[page]).count() == before + 1


@pytest.mark.parametrize("page", RAW_PAGES)
def test_raw_page_needs_the_signed_declaration(evaluation, client_as, unsign, transcript, page):
    unsign("peer_interviewer")
    before = AuditEvent.objects.filter(action=RAW_PAGES[page]).count()
    response = client_as("peer_interviewer").get(page_url(page, evaluation, transcript))
    assert response.status_code == 302
    assert url("evaluations:declaration", evaluation) in response["Location"]
    assert "41 22 87 56" not in response.content.decode()
    assert AuditEvent.objects.filter(action=RAW_PAGES[page]).count() == before

"""Hole 6: Django admin cannot go around the app's safeguards.

Sensitive models are read-only there (or not registered), raw fields are never shown, and every
admin page of raw material is written to the audit log.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from bsbstudio.accounts.audit import record, verify
from bsbstudio.accounts.models import AuditEvent, Membership
from bsbstudio.analysis.models import CodedSegment
from bsbstudio.deid.models import Detection, PseudonymMapping
from bsbstudio.transcripts.models import DeidentifiedText, Transcript

RAW = "I: Hei.\nD1: Jeg heter Kari Hemmelig og bor i Lilleby.\n"


@pytest.fixture
def material(evaluation):
    """A raw transcript with a detection and a mapping, a de-identified text and a quote."""
    interview = evaluation.interviews.get(code="FG1")
    transcript = Transcript.objects.create(
        interview=interview, raw_text=RAW, source_filename="kari_hemmelig.docx"
    )
    start = RAW.index("Kari")
    detection = Detection.objects.create(
        transcript=transcript,
        start=start,
        end=start + len("Kari Hemmelig"),
        label="PERSON",
        text="Kari Hemmelig",
        source="test",
        explanation="context word near Kari Hemmelig",
    )
    PseudonymMapping.objects.create(
        evaluation=evaluation, mapping={"entries": {"Kari Hemmelig": "Anne"}}
    )
    text = DeidentifiedText.objects.create(transcript=transcript, text="D1: Jeg heter [NAVN].")
    segment = CodedSegment.objects.create(
        text=text, code=evaluation.codes.first(), start=0, end=7, quote="D1: Jeg"
    )
    return {"transcript": transcript, "detection": detection, "text": text, "segment": segment}


def _admin(name: str, *args) -> str:
    return reverse(f"admin:{name}", args=args)


def test_the_superuser_reaches_admin(admin_browser):
    assert admin_browser.get(_admin("index")).status_code == 200


def test_an_audit_entry_cannot_be_forged_changed_or_deleted(admin_browser, evaluation):
    event = record(None, "test.original", None, evaluation)
    change = _admin("accounts_auditevent_change", event.pk)
    assert admin_browser.get(change).status_code == 200  # it may be read
    response = admin_browser.post(change, {"action": "forged", "object_id": "1"})
    assert response.status_code == 403
    assert admin_browser.get(_admin("accounts_auditevent_add")).status_code == 403
    response = admin_browser.post(_admin("accounts_auditevent_delete", event.pk), {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == "test.original"
    assert verify().ok


def test_a_quotes_offsets_cannot_be_edited(admin_browser, material):
    segment = material["segment"]
    response = admin_browser.post(
        _admin("analysis_codedsegment_change", segment.pk),
        {"text": segment.text_id, "code": segment.code_id, "start": 3, "end": 200},
    )
    assert response.status_code == 403
    segment.refresh_from_db()
    assert (segment.start, segment.end) == (0, 7)


def test_a_text_cannot_be_approved_past_the_approval_checks(admin_browser, material, superuser):
    text = material["text"]
    response = admin_browser.post(
        _admin("transcripts_deidentifiedtext_change", text.pk),
        {
            "transcript": text.transcript_id,
            "version": 1,
            "approved_at_0": "2026-03-02",
            "approved_at_1": "10:00:00",
            "approved_by": superuser.pk,
        },
    )
    assert response.status_code == 403
    text.refresh_from_db()
    assert text.approved_at is None and text.approved_by is None


def test_nothing_is_deleted_through_admin(admin_browser, material):
    segment = material["segment"]
    response = admin_browser.post(
        _admin("analysis_codedsegment_delete", segment.pk), {"post": "yes"}
    )
    assert response.status_code == 403
    response = admin_browser.post(
        _admin("analysis_codedsegment_changelist"),
        {"action": "delete_selected", "_selected_action": [segment.pk], "post": "yes"},
    )
    assert CodedSegment.objects.filter(pk=segment.pk).exists()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/deid/protectedterm/",
        "/admin/transcripts/speakerturn/",
        "/admin/fieldwork/recording/",
    ],
)
def test_models_that_would_name_someone_are_not_in_admin(admin_browser, url):
    assert admin_browser.get(url).status_code == 404


def test_raw_material_in_admin_shows_no_raw_field_and_is_audited(
    admin_browser, material, evaluation, superuser
):
    transcript, detection = material["transcript"], material["detection"]
    pages = [
        _admin("transcripts_transcript_changelist"),
        _admin("transcripts_transcript_change", transcript.pk),
        _admin("deid_detection_changelist"),
        _admin("deid_detection_change", detection.pk),
        _admin("deid_pseudonymmapping_change", evaluation.pseudonym_mapping.pk),
    ]
    for url in pages:
        response = admin_browser.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Hemmelig" not in html and "kari_hemmelig" not in html, url
    views = AuditEvent.objects.filter(action="admin.view", user=superuser).order_by("seq")
    assert [(e.object_type, e.evaluation) for e in views] == [
        ("transcripts.transcript", evaluation),
        ("deid.detection", evaluation),
        ("deid.pseudonymmapping", evaluation),
    ]
    lists = AuditEvent.objects.filter(action="admin.list", user=superuser).order_by("seq")
    assert [e.detail["model"] for e in lists] == ["transcripts.transcript", "deid.detection"]


def test_raw_fields_cannot_be_guessed_through_list_filters(admin_browser, material):
    url = _admin("deid_detection_changelist")
    assert admin_browser.get(url, {"text__startswith": "Kari"}).status_code == 400
    assert admin_browser.get(url, {"text__startswith": "Ola"}).status_code == 400


def test_memberships_stay_editable_in_admin_and_changes_are_audited(
    admin_browser, evaluation, django_user_model
):
    outsider = django_user_model.objects.get(username="outsider")
    response = admin_browser.post(
        _admin("accounts_membership_add"),
        {"evaluation": evaluation.pk, "user": outsider.pk, "role": "transcriber"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=outsider)
    event = AuditEvent.objects.get(action="admin.membership.add")
    assert event.evaluation == evaluation and event.object_id == str(membership.pk)
    response = admin_browser.post(
        _admin("accounts_membership_delete", membership.pk), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(user=outsider).exists()
    deleted = AuditEvent.objects.get(action="admin.membership.delete")
    assert deleted.evaluation == evaluation and deleted.object_id == str(membership.pk)


def test_user_changes_in_admin_are_audited_without_values(admin_browser, make_user):
    user = make_user("ola")
    joined = timezone.localtime(user.date_joined)
    response = admin_browser.post(
        _admin("auth_user_change", user.pk),
        {
            "username": "ola",
            "first_name": "Ny",
            "last_name": "Verdisjekk",
            "email": "",
            "is_active": "on",
            "is_superuser": "on",
            "date_joined_0": joined.strftime("%Y-%m-%d"),
            "date_joined_1": joined.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_superuser
    event = AuditEvent.objects.get(action="admin.user.change")
    assert event.object_id == str(user.pk)
    assert event.user_label == "Sigrid Sjef (root)"
    fields = event.detail["change"][0]["changed"]["fields"]
    assert "is_superuser" in fields or "Superuser status" in fields
    assert "Verdisjekk" not in str(event.detail)  # names of fields, never their values


def test_two_factor_devices_show_no_secret_and_deleting_one_is_the_audited_reset(
    admin_browser, superuser, django_user_model
):
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    person = django_user_model.objects.create_user("lost_phone", password="pw-lost-phone-123")
    app = TOTPDevice.objects.create(user=person, name="authenticator app", confirmed=True)
    codes = StaticDevice.objects.create(user=person, name="recovery codes", confirmed=True)
    codes.token_set.create(token="kodeord77")
    for url in (
        _admin("otp_totp_totpdevice_changelist"),
        _admin("otp_totp_totpdevice_change", app.pk),
        _admin("otp_static_staticdevice_change", codes.pk),
    ):
        html = admin_browser.get(url).content.decode()
        assert app.key not in html and "kodeord77" not in html, url
    assert admin_browser.post(_admin("otp_totp_totpdevice_add"), {}).status_code == 403
    response = admin_browser.post(_admin("otp_totp_totpdevice_delete", app.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=app.pk).exists()
    assert AuditEvent.objects.filter(
        action="admin.totpdevice.delete", user=superuser, object_id=str(app.pk)
    ).exists()

"""The review in plain Norwegian: hits explained without scores, grouped by entity, by keyboard."""

from __future__ import annotations

import re

import pytest

from bsbstudio.deid import plain
from bsbstudio.deid.engine.recognisers.registry import ALL_RECOGNISERS
from bsbstudio.deid.models import Detection

from .conftest import messages_of, url

KARI_TEXT = "".join(
    f"D{n % 2 + 1}: Kari Nordmann hjalp meg den gangen. Etterpå ringte Kari Nordmann igjen.\n"
    for n in range(5)
)


@pytest.fixture
def kari(evaluation, django_user_model):
    """A transcript that names one person ten times; the name is on the evaluation's list."""
    from bsbstudio.deid.models import ProtectedTerm
    from bsbstudio.transcripts.actions import import_transcript
    from bsbstudio.transcripts.engine import parse_text

    ProtectedTerm.objects.create(evaluation=evaluation, text="Kari Nordmann", kind="PERSON")
    leader = django_user_model.objects.get(username="process_leader")
    interview = evaluation.interviews.get(code="FG1")
    return import_transcript(leader, interview, parse_text(KARI_TEXT, "kari.txt"), "kari.txt")


def kari_hits(transcript):
    return transcript.detections.filter(text="Kari Nordmann").order_by("start")


def in_bokmal(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    return client


def test_the_bokmal_page_explains_hits_in_plain_norwegian(
    evaluation, leader, transcript, kari, settings
):
    assert transcript.detections.filter(source="phone").exists()
    page = in_bokmal(leader, settings)
    for each in (transcript, kari):
        html = page.get(url("deid:review", evaluation, each.pk)).content.decode()
        for english in ("score", "Recognizer", "recogniser", "Recogniser", "NER model", "pattern"):
            assert english not in html
        assert not re.search(r"\d[.,]\d\d", html), "a score leaked onto the page"
        for source in {d.source for d in each.detections.all()}:
            assert f">{source}<" not in html and f": {source}" not in html
    html = page.get(url("deid:review", evaluation, transcript.pk)).content.decode()
    assert "ser ut som et telefonnummer" in html
    assert "Behold alle forekomster" in html
    html = page.get(url("deid:review", evaluation, kari.pk)).content.decode()
    assert "står på evalueringens liste over navn som skal skjules" in html
    assert "10 forekomster" in html


def test_every_recogniser_has_its_own_plain_explanation():
    generic = plain.explain("something new", "PERSON")
    for recogniser in ALL_RECOGNISERS:
        assert plain.explain(recogniser.name, recogniser.label) != generic, recogniser.name
    assert plain.explain("propagation", "PERSON") != generic
    assert plain.explain("reviewer", "PERSON") != generic
    checked = plain.explain("id_number", "ID_NUMBER", "fødselsnummer with valid check digits")
    failed = plain.explain(
        "id_number", "ID_NUMBER", "date-shaped 11-digit number (D-nummer?) whose check digits fail"
    )
    assert checked == "ser ut som et fødselsnummer (kontrollsifrene stemmer)"
    assert failed == "ser ut som et fødselsnummer, men kontrollsifrene stemmer ikke"


def test_ten_mentions_are_one_decision(evaluation, leader, kari):
    hits = list(kari_hits(kari))
    assert len(hits) == 10
    html = leader.get(url("deid:review", evaluation, kari.pk)).content.decode()
    assert html.count('name="entity_') == 2 * len(plain.group(kari.detections.all(), kari.raw_text))
    assert html.count(f'name="entity_{hits[0].pk}"') == 2  # Hide and Keep
    assert "10 mentions" in html
    assert "and 7 more mentions" in html  # three shown in context
    assert "<mark>Kari Nordmann</mark> hjalp meg" in html
    assert 'name="decision_' not in html
    # The radios are labelled, so a keyboard or screen-reader user knows what each one does.
    assert re.search(
        rf'<label><input type="radio" name="entity_{hits[0].pk}" value="rejected"\s*> '
        r"Keep</label>",
        html,
    )

    response = leader.post(
        url("deid:review", evaluation, kari.pk), {f"entity_{hits[0].pk}": "rejected"}, follow=True
    )
    assert "The decisions were saved." in messages_of(response)
    assert set(kari_hits(kari).values_list("decision", flat=True)) == {"rejected"}
    html = response.content.decode()
    assert re.search(rf'name="entity_{hits[0].pk}" value="rejected"\s*checked', html)


def test_a_single_hit_choice_overrides_its_entity(evaluation, leader, kari):
    hits = list(kari_hits(kari))
    leader.post(
        url("deid:review", evaluation, kari.pk),
        {f"entity_{hits[0].pk}": "confirmed", f"decision_{hits[3].pk}": "rejected"},
    )
    decisions = list(kari_hits(kari).values_list("decision", flat=True))
    assert decisions == ["confirmed"] * 3 + ["rejected"] + ["confirmed"] * 6
    html = leader.get(url("deid:review", evaluation, kari.pk)).content.decode()
    assert "Some mentions are hidden and some kept." in html


@pytest.mark.parametrize("key", ["second", "other", "entity_abc", "entity_" + "9" * 400, "entity_"])
def test_a_bad_entity_id_is_a_message_and_saves_nothing(evaluation, leader, kari, transcript, key):
    hits = list(kari_hits(kari))
    # Only a group's first hit names it: another mention's id, or another transcript's, is refused.
    key = {
        "second": f"entity_{hits[1].pk}",
        "other": f"entity_{transcript.detections.order_by('pk').first().pk}",
    }.get(key, key)
    before = list(kari.detections.order_by("pk").values_list("decision", flat=True))
    response = leader.post(
        url("deid:review", evaluation, kari.pk),
        {key: "confirmed", f"entity_{hits[0].pk}": "rejected", "create_text": "1"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Nothing was saved" in messages_of(response)
    assert list(kari.detections.order_by("pk").values_list("decision", flat=True)) == before
    assert not kari.deidentified_texts.exists()
    assert Detection.objects.filter(decision="rejected").count() == 0


def test_keep_every_mention_rejects_them_and_keeps_the_word(evaluation, leader, kari):
    from bsbstudio.accounts.models import AuditEvent
    from bsbstudio.deid.models import KeptTerm

    hits = list(kari_hits(kari))
    html = leader.get(url("deid:review", evaluation, kari.pk)).content.decode()
    # Enter in the form presses the first submit button: it must save, not keep a word.
    assert html.index('name="save"') < html.index('name="keep_entity"')
    assert f'name="keep_entity" value="{hits[0].pk}"' in html
    response = leader.post(
        url("deid:review", evaluation, kari.pk), {"keep_entity": str(hits[0].pk)}, follow=True
    )
    assert "is kept everywhere" in messages_of(response)
    assert set(kari_hits(kari).values_list("decision", flat=True)) == {"rejected"}
    assert list(KeptTerm.objects.values_list("text", flat=True)) == ["Kari Nordmann"]
    assert AuditEvent.objects.filter(action="deid.keep.add").count() == 1


@pytest.mark.parametrize("value", ["second", "abc", "9" * 400, "-1"])
def test_a_bad_keep_button_value_saves_nothing(evaluation, leader, kari, value):
    from bsbstudio.deid.models import KeptTerm

    hits = list(kari_hits(kari))
    value = str(hits[1].pk) if value == "second" else value
    response = leader.post(
        url("deid:review", evaluation, kari.pk),
        {"keep_entity": value, f"entity_{hits[0].pk}": "rejected"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Nothing was saved" in messages_of(response)
    assert not KeptTerm.objects.exists()
    assert set(kari_hits(kari).values_list("decision", flat=True)) == {"pending"}

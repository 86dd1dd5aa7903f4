"""Auto-coding: rules previewed before they code, learned suggestions accepted or rejected, blind coding kept."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.analysis import autocode
from bsbstudio.analysis.actions import code_segment
from bsbstudio.analysis.models import Code, CodedSegment, DoubleCoding, Suggestion

from .test_search import FG1, add_text

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

WAITING = [
    "Jeg ventet i tre måneder før jeg fikk time hos teamet.",
    "Ventetiden var altfor lang, jeg ringte flere ganger uten svar.",
    "Det tok lang tid før noen ringte tilbake til meg.",
    "Vi sto på venteliste hele høsten og ingen sa noe.",
    "Jeg fikk ikke time før etter jul, det var lenge å vente.",
    "Køen var lang og ingen svarte på telefonen om dagen.",
    "Jeg måtte vente i mange uker på den første samtalen.",
    "Det var lang ventetid og ingen ringte meg tilbake.",
]
MEDICINE = [
    "Medisinene gjorde meg trøtt hele dagen og hele kvelden.",
    "Jeg ville trappe ned på medisinene, men legen sa nei.",
    "Bivirkningene av tablettene var det verste for meg.",
    "De økte dosen av medisinen uten å spørre meg først.",
    "Jeg tar medisin morgen og kveld nå, og det går greit.",
    "Medisinen hjalp meg, men jeg la på meg mange kilo.",
    "Jeg fikk nye tabletter og bivirkningene ble mindre.",
    "Legen ville gi meg mer medisin, men jeg ville ikke.",
]


@pytest.fixture
def fg1(evaluation):
    return add_text(evaluation.interviews.get(code="FG1"), FG1)


def leader_of(evaluation):
    return evaluation.memberships.get(role="process_leader").user


def url(evaluation, name="autocode"):
    return reverse(f"analysis:{name}", args=[evaluation.slug])


def page_messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_keyword_rule_previews_every_stemmed_hit_and_codes_only_the_ticked(
    evaluation, fg1, as_user
):
    client = as_user("process_leader")
    code = Code.objects.get(evaluation=evaluation, name="Tilgang")
    page = client.get(url(evaluation), {"q": "hjelpen", "code": code.pk})
    html = page.content.decode()
    # "hjelpen" finds "hjelp" in both participant turns; the interviewer's question is not offered.
    assert "2 places would be coded to Tilgang" in html
    assert html.count('name="turn"') == 2 and html.count("checked") >= 2
    assert "<mark>hjelp</mark> fra teamet" in html
    assert CodedSegment.objects.count() == 0  # the preview changes nothing
    turns = re.findall(r'name="turn" value="(\d+)"', html)
    before = AuditEvent.objects.count()
    response = client.post(
        url(evaluation),
        {"q": "hjelpen", "code": code.pk, "turn": [turns[1]], "polarity": "critical"},
    )
    assert response.status_code == 302
    [segment] = CodedSegment.objects.all()
    assert segment.quote == "Vi i teamet gir hjelp, men det er ikke alltid god tid."
    assert (segment.code, segment.polarity, segment.turn.speaker_code) == (code, "critical", "D2")
    assert segment.group.code == "A"  # placed in the matrix like any quote
    batch = AuditEvent.objects.filter(action="analysis.autocode").get()
    assert batch.detail["count"] == 1 and batch.detail["rule"] == "keyword"
    assert AuditEvent.objects.count() == before + 2  # the quote's own event and the batch's
    # Coded places are left out of the next preview of the same rule.
    again = client.get(url(evaluation), {"q": "hjelpen", "code": code.pk}).content.decode()
    assert "1 place would be coded to Tilgang" in again
    assert "1 place already coded to this theme is left out." in again


def test_a_group_rule_codes_every_turn_of_the_group_in_the_chosen_texts(evaluation, fg1, as_user):
    client = as_user("process_leader")
    code = Code.objects.get(evaluation=evaluation, name="Å bli møtt")
    users = evaluation.informant_groups.get(code="B")
    params = {"group": users.pk, "code": code.pk, "texts": [fg1.pk]}
    html = client.get(url(evaluation), params).content.decode()
    turns = re.findall(r'name="turn" value="(\d+)"', html)
    assert len(turns) == 2  # D1's two turns; D2 is staff
    client.post(url(evaluation), {**params, "turn": turns})
    quotes = list(CodedSegment.objects.order_by("start").values_list("quote", flat=True))
    assert quotes == [FG1[1][1], FG1[3][1]]
    assert AuditEvent.objects.get(action="analysis.autocode").detail["count"] == 2


def test_a_rule_matching_too_many_places_is_refused_and_changes_nothing(
    evaluation, fg1, as_user, monkeypatch
):
    monkeypatch.setattr(autocode, "PREVIEW_LIMIT", 1)
    client = as_user("process_leader")
    code = Code.objects.get(evaluation=evaluation, name="Tilgang")
    html = client.get(url(evaluation), {"q": "hjelp", "code": code.pk}).content.decode()
    assert "The rule matches more than 1 places" in html
    assert 'name="turn"' not in html
    turn = fg1.turns.get(order=1)
    response = client.post(url(evaluation), {"q": "hjelp", "code": code.pk, "turn": [turn.pk]})
    assert response.status_code == 200
    assert "Nothing was coded" in response.content.decode()
    assert not CodedSegment.objects.exists()
    assert not AuditEvent.objects.filter(action="analysis.autocode").exists()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Write a word or phrase, or choose an informant group or a speaker."),
        ({"q": '"*" -- ()'}, "Type at least one word to search for."),
        ({"q": "hjelp", "code": "99999"}, "Choose the theme to code to."),
        ({"q": "hjelp", "turn": ["abc"]}, "No place was ticked, so nothing was coded."),
    ],
)
def test_bad_rules_get_a_message_and_nothing_is_coded(evaluation, fg1, as_user, params, message):
    client = as_user("process_leader")
    params.setdefault("code", Code.objects.get(evaluation=evaluation, name="Tilgang").pk)
    response = client.post(url(evaluation), params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CodedSegment.objects.exists()


def test_only_coders_may_auto_code(evaluation, fg1, as_user):
    assert as_user("commissioner").get(url(evaluation)).status_code == 403
    assert as_user("commissioner").get(url(evaluation, "suggestions")).status_code == 403


@pytest.fixture
def coded(evaluation, fg1):
    """An interview of waiting and medicine, six turns of each coded, two of each left uncoded."""
    from bsbstudio.fieldwork.models import Interview, Participation

    interview = Interview.objects.create(
        evaluation=evaluation,
        code="EI1",
        kind="individual",
        site=fg1.transcript.interview.site,
        date=fg1.transcript.interview.date,
    )
    Participation.objects.create(
        interview=interview, informant=evaluation.informants.get(code="B-01"), speaker_code="D1"
    )
    lines = [("D1", line) for pair in zip(WAITING, MEDICINE, strict=True) for line in pair]
    text = add_text(interview, lines)
    leader = leader_of(evaluation)
    access = Code.objects.get(evaluation=evaluation, name="Tilgang")
    medicine = Code.objects.create(evaluation=evaluation, name="Medisiner")
    for turn in text.turns.order_by("order")[:12]:
        theme = access if text.text[turn.start : turn.end] in WAITING else medicine
        code_segment(leader, text, theme, turn.start, turn.end, "neutral", "direct")
    return {"text": text, "access": access, "medicine": medicine}


def test_suggestions_are_learned_in_the_background_and_shown_in_words(
    evaluation, coded, as_user, settings
):
    settings.TASKS = IMMEDIATE
    client = as_user("process_leader")
    html = client.get(url(evaluation, "suggestions")).content.decode()
    state = autocode.state_of(evaluation)
    assert state.classifier and state.quotes == 12
    assert state.fingerprint == autocode.fingerprint(evaluation)
    # Every uncoded participant turn long enough gets a theme; the two last turns are the test.
    assert WAITING[6] in html and MEDICINE[7] in html
    proposed = {
        (s.turn.deidentified_text.text[s.turn.start : s.turn.end], s.code.name)
        for s in Suggestion.objects.filter(confidence__gte=0.5)
    }
    assert (WAITING[6], "Tilgang") in proposed and (MEDICINE[6], "Medisiner") in proposed
    assert "sure" in html or "possible" in html
    assert not re.search(r"\d+ ?%|0\.\d", html)  # no scores on the page
    assert "Tilgang" in html and "Accept" in html


def test_accepting_codes_the_turn_and_rejecting_is_remembered(evaluation, coded, as_user, settings):
    settings.TASKS = IMMEDIATE
    client = as_user("process_leader")
    client.get(url(evaluation, "suggestions"))
    waiting = Suggestion.objects.filter(code=coded["access"]).order_by("-confidence").first()
    turn = waiting.turn
    client.post(
        url(evaluation, "suggestions"),
        {"suggestion": waiting.pk, "decision": "accept", "polarity": "critical"},
    )
    segment = CodedSegment.objects.get(turn=turn, code=coded["access"])
    assert (segment.start, segment.end, segment.polarity) == (turn.start, turn.end, "critical")
    assert AuditEvent.objects.filter(action="analysis.suggestion.accept").count() == 1
    other = Suggestion.objects.filter(status="pending").exclude(turn=turn).order_by("pk").first()
    client.post(url(evaluation, "suggestions"), {"suggestion": other.pk, "decision": "reject"})
    assert AuditEvent.objects.filter(action="analysis.suggestion.reject").count() == 1
    # The accepted quote changed the coding: the next view retrains, and the rejection stays.
    html = client.get(url(evaluation, "suggestions")).content.decode()
    assert autocode.state_of(evaluation).quotes == 13
    assert not Suggestion.objects.filter(
        turn=other.turn, code=other.code, status="pending"
    ).exists()
    assert Suggestion.objects.filter(turn=other.turn, code=other.code, status="rejected").exists()
    assert f'value="{other.pk}"' not in html
    # A decided suggestion cannot be decided again.
    response = client.post(
        url(evaluation, "suggestions"), {"suggestion": other.pk, "decision": "accept"}
    )
    assert "That suggestion is no longer open." in page_messages(response)[0]
    assert CodedSegment.objects.count() == 13


def test_too_few_quotes_per_theme_gives_no_suggestions_and_says_so(
    evaluation, fg1, as_user, settings
):
    settings.TASKS = IMMEDIATE
    leader = leader_of(evaluation)
    access = Code.objects.get(evaluation=evaluation, name="Tilgang")
    turn = fg1.turns.get(order=1)
    code_segment(leader, fg1, access, turn.start, turn.end, "neutral", "direct")
    html = as_user("process_leader").get(url(evaluation, "suggestions")).content.decode()
    assert "at least two themes need 5 coded quotes each" in html
    assert "Tilgang (1)" in html
    assert not Suggestion.objects.exists()


def test_blind_double_coding_keeps_its_text_out_of_suggestions_and_previews(
    evaluation, coded, as_user, settings
):
    settings.TASKS = IMMEDIATE
    leader = leader_of(evaluation)
    interviewer = evaluation.memberships.get(role="peer_interviewer").user
    text = coded["text"]
    DoubleCoding.objects.create(text=text, coder_a=leader, coder_b=interviewer, started_by=leader)
    # The leader's quotes on the blind text are not learned from, and its turns get no suggestion.
    as_user("peer_interviewer").get(url(evaluation, "suggestions"))
    state = autocode.state_of(evaluation)
    assert state.quotes == 0 and not state.classifier
    assert not Suggestion.objects.exists()
    # The other coder's quotes do not leave turns out of the peer interviewer's preview ...
    params = {"q": "medisinene", "code": coded["medicine"].pk}
    html = as_user("peer_interviewer").get(url(evaluation), params).content.decode()
    # (six turns say a form of "medisin"; the leader coded five of them)
    assert "6 places would be coded to Medisiner" in html
    assert "already coded" not in html
    # ... while the leader's own quotes do.
    html = as_user("process_leader").get(url(evaluation), params).content.decode()
    assert "1 place would be coded to Medisiner" in html
    assert "5 places already coded to this theme are left out." in html


def test_the_pages_speak_bokmal_and_confidence_is_a_word(evaluation, coded, as_user, settings):
    settings.TASKS = IMMEDIATE
    client = as_user("process_leader", "nb")
    html = client.get(url(evaluation, "suggestions")).content.decode()
    assert "Foreslåtte temaer" in html and "Godta" in html and "Avvis" in html
    assert "sikker" in html or "mulig" in html
    params = {"q": "medisin", "code": coded["medicine"].pk}
    html = client.get(url(evaluation), params).content.decode()
    assert "1 sted ville bli kodet til Medisiner" in html
    assert "5 steder som allerede er kodet til dette temaet, er utelatt." in html
    matrix = client.get(reverse("analysis:matrix", args=[evaluation.slug])).content.decode()
    assert url(evaluation) in matrix and url(evaluation, "suggestions") in matrix


def test_the_demo_has_rule_coding_and_suggestions_and_loads_once(db, make_user):
    from bsbstudio.demo.autocode import SLUG, load_autocode
    from bsbstudio.demo.loader import DATA_DIR, load_file
    from bsbstudio.evaluations.models import Evaluation

    leader = make_user("demo-leader")
    load_file(DATA_DIR / "ambulant_team.yaml", leader)
    evaluation = Evaluation.objects.get(slug=SLUG)
    assert autocode.state_of(evaluation).fingerprint == autocode.fingerprint(evaluation)
    batches = AuditEvent.objects.filter(action="analysis.autocode").count()
    pending = Suggestion.objects.filter(code__evaluation=evaluation, status="pending").count()
    assert batches >= 5 and pending >= 10
    assert autocode.measure_accuracy(evaluation).themes >= 5
    quotes = CodedSegment.objects.count()
    load_autocode(leader)
    assert CodedSegment.objects.count() == quotes
    assert AuditEvent.objects.filter(action="analysis.autocode").count() == batches
    assert (
        Suggestion.objects.filter(code__evaluation=evaluation, status="pending").count() == pending
    )


def test_the_accuracy_command_prints_top1_and_top3(evaluation, coded, monkeypatch, capsys):
    import argparse

    from bsbstudio.analysis import cli

    monkeypatch.setattr(cli, "setup_django", lambda: None)
    monkeypatch.setattr(cli, "migrate", lambda: None)
    assert cli.suggest_accuracy_command(argparse.Namespace(evaluation="test")) == 0
    out = capsys.readouterr().out
    assert "Trained on 9 quotes, 3 held out, 2 themes" in out
    assert re.search(r"top-1 accuracy \d+\.\d %\ntop-3 accuracy 100\.0 %", out)
    assert cli.suggest_accuracy_command(argparse.Namespace(evaluation="nope")) == 4

"""Search in the analysis material: stemming, phrases, prefixes, filters, isolation, coding a hit."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.analysis import search as search_module
from bsbstudio.analysis.actions import code_segment
from bsbstudio.analysis.models import CodedSegment, Memo, SearchEntry
from bsbstudio.analysis.search import EmptyQuery, search
from bsbstudio.evaluations.models import Evaluation, Site
from bsbstudio.fieldwork.models import Informant, Interview, Participation
from bsbstudio.transcripts.models import DeidentifiedText, SpeakerTurn, Transcript

FG1 = [
    ("I", "Hvordan var tiden etter innleggelsen?"),
    ("D1", "Etter innleggelser fikk jeg god hjelp fra teamet. Det var trygt."),
    ("D2", "Vi i teamet gir hjelp, men det er ikke alltid god tid."),
    ("D1", "Jeg følte på tryggheten hele veien."),
]
FG2 = [
    ("I", "Fortell om hjemmebesøkene."),
    ("D1", "Hjemmebesøk etter innleggelse var det beste. Jeg fikk god hjelp."),
]


def add_text(interview, lines, *, raw_lines=None, version=1):
    """A raw transcript and its de-identified text, built as the import would (turns with offsets)."""

    def build(rows):
        text, turns = "", []
        for order, (speaker, words) in enumerate(rows):
            label = f"{speaker}: "
            start = len(text) + len(label)
            text += label + words + "\n"
            turns.append((order, speaker, start, start + len(words)))
        return text, turns

    raw, raw_turns = build(raw_lines or lines)
    clean, clean_turns = build(lines)
    transcript = Transcript.objects.filter(
        interview=interview
    ).first() or Transcript.objects.create(interview=interview, raw_text=raw)
    text = DeidentifiedText.objects.create(transcript=transcript, version=version, text=clean)
    codes = {p.speaker_code: p for p in interview.participations.all()}
    for owner, turns in (
        ({"transcript": transcript}, raw_turns),
        ({"deidentified_text": text}, clean_turns),
    ):
        if "transcript" in owner and version > 1:
            continue
        for order, speaker, start, end in turns:
            SpeakerTurn.objects.create(
                **owner,
                order=order,
                speaker_code=speaker,
                role="interviewer" if speaker == "I" else "participant",
                participation=codes.get(speaker),
                start=start,
                end=end,
            )
    return text


@pytest.fixture
def material(evaluation):
    """FG1 at site Nord (D1 a user, D2 staff) and FG2 at site Sør (D1 a user)."""
    fg1 = add_text(evaluation.interviews.get(code="FG1"), FG1)
    south = evaluation.sites.get(name="Sør")
    users = evaluation.informant_groups.get(code="B")
    b2 = Informant.objects.create(evaluation=evaluation, code="B-02", group=users, site=south)
    interview = Interview.objects.create(
        evaluation=evaluation,
        code="FG2",
        kind="focus_group",
        site=south,
        date=datetime.date(2026, 3, 2),
    )
    Participation.objects.create(interview=interview, informant=b2, speaker_code="D1")
    fg2 = add_text(interview, FG2)
    return {"fg1": fg1, "fg2": fg2, "south": south, "users": users}


def leader_of(evaluation):
    return evaluation.memberships.get(role="process_leader").user


def matches(result):
    return [(hit.kind, hit.match) for hit in result.hits]


def test_a_stemmed_word_finds_its_other_forms_in_context(evaluation, material):
    result = search(evaluation, "innleggelsen")
    assert result.total == 3
    assert matches(result) == [
        ("turn", "innleggelsen"),
        ("turn", "innleggelser"),
        ("turn", "innleggelse"),
    ]
    hit = result.hits[1]
    text = material["fg1"].text
    assert hit.text_id == material["fg1"].pk
    assert text[hit.start : hit.end] == "innleggelser"
    assert hit.before == "Etter "
    assert hit.after.startswith(" fikk jeg god hjelp fra teamet. Det var")
    assert (hit.interview, hit.site, hit.group, hit.speaker) == ("FG1", "Nord", "Brukere", "D1")
    assert hit.sentence == "Etter innleggelser fikk jeg god hjelp fra teamet."
    assert text[hit.sentence_start : hit.sentence_end] == hit.sentence


def test_tryggheten_finds_trygg_forms_but_not_trygt(evaluation, material):
    # Snowball stems "tryggheten" to "trygg"; the neuter "trygt" keeps its own stem.
    assert matches(search(evaluation, "tryggheten")) == [("turn", "tryggheten")]
    assert matches(search(evaluation, "trygg")) == [("turn", "tryggheten")]
    assert matches(search(evaluation, "trygt")) == [("turn", "trygt")]


def test_words_must_all_match_and_a_phrase_must_stand_together(evaluation, material):
    words = search(evaluation, "hjelp god")
    assert words.total == 3  # FG1 D1 and D2, FG2 D1
    phrase = search(evaluation, '"god hjelp"')
    assert phrase.total == 2
    assert [h.match for h in phrase.hits] == ["god hjelp", "god hjelp"]
    assert {h.speaker for h in phrase.hits} == {"D1"}
    assert search(evaluation, '"hjelp god"').total == 0


def test_a_prefix_finds_every_word_that_starts_like_it(evaluation, material):
    result = search(evaluation, "hjemmebes*")
    assert matches(result) == [("turn", "hjemmebesøkene"), ("turn", "Hjemmebesøk")]
    # A prefix longer than the stem still finds the written word.
    assert search(evaluation, "innleggelse*").total == 3


def test_filters_by_site_group_speaker_and_theme(evaluation, material):
    assert {h.interview for h in search(evaluation, "hjelp", site=material["south"]).hits} == {
        "FG2"
    }
    staff = evaluation.informant_groups.get(code="A")
    assert [h.speaker for h in search(evaluation, "hjelp", group=staff).hits] == ["D2"]
    assert search(evaluation, "hjelp", group=material["users"].pk).total == 2
    assert [h.interview for h in search(evaluation, "innleggelsen", speaker="I").hits] == ["FG1"]

    access = evaluation.codes.get(name="Tilgang")
    assert search(evaluation, "hjelp", code=access).total == 0
    text = material["fg2"]
    start = text.text.index("Hjemmebesøk etter")
    code_segment(leader_of(evaluation), text, access, start, start + 40, "positive", "direct")
    themed = search(evaluation, "hjelp", code=access)
    # The turn the quote lies in, and the quote itself (which holds no "hjelp") is not a hit.
    assert matches(themed) == [("turn", "hjelp")]
    assert matches(search(evaluation, "innleggelse", code=access)) == [
        ("turn", "innleggelse"),
        ("quote", "innleggelse"),
    ]


def test_no_search_crosses_evaluations(evaluation, material):
    other = Evaluation.objects.create(name="Annen", slug="annen", commissioner="Annen kommune")
    site = Site.objects.create(evaluation=other, name="Vest", order=0)
    interview = Interview.objects.create(evaluation=other, code="X1", kind="individual", site=site)
    add_text(interview, [("D1", "Innleggelsen var fin.")])
    assert [h.interview for h in search(evaluation, "innleggelsen").hits] == ["FG1", "FG1", "FG2"]
    assert [h.interview for h in search(other, "innleggelsen").hits] == ["X1"]


def test_raw_text_is_never_indexed_nor_found(evaluation, material):
    interview = Interview.objects.create(
        evaluation=evaluation, code="IND1", kind="individual", site=material["south"]
    )
    add_text(
        interview,
        [("D1", "Jeg heter [navn] og bor i [sted].")],
        raw_lines=[("D1", "Jeg heter Kari Nordmann og bor i Tromsø.")],
    )
    assert search(evaluation, "Kari").total == 0
    assert search(evaluation, "tromsø").total == 0
    assert search(evaluation, "heter").total == 1
    stored = " ".join(SearchEntry.objects.values_list("words", flat=True))
    assert "kari" not in stored and "tromsø" not in stored


def test_the_page_finds_nothing_of_the_raw_text(evaluation, material, as_user):
    interview = Interview.objects.create(
        evaluation=evaluation, code="IND2", kind="individual", site=material["south"]
    )
    text = add_text(
        interview,
        [("D1", "Jeg heter [navn].")],
        raw_lines=[("D1", "Jeg heter Kari Nordmann.")],
    )
    assert "Kari Nordmann" in text.transcript.raw_text
    page = as_user("process_leader").get(page_url(evaluation), {"q": "Kari"}).content.decode()
    assert "0 hits" in page and "Nordmann" not in page
    page = as_user("process_leader").get(page_url(evaluation), {"q": "heter"}).content.decode()
    assert "<mark>heter</mark> [navn]." in page and "Kari" not in page


def test_a_new_version_replaces_the_old_one_in_the_index(evaluation, material):
    interview = evaluation.interviews.get(code="FG2")
    add_text(interview, [("D1", "Oppfølgingen hjemme var god.")], version=2)
    assert search(evaluation, "hjemmebesøk").total == 0
    assert [h.interview for h in search(evaluation, "oppfølging").hits] == ["FG2"]


def test_quotes_and_memos_are_found_and_kept_in_step(evaluation, material):
    leader = leader_of(evaluation)
    access = evaluation.codes.get(name="Tilgang")
    text = material["fg1"]
    start = text.text.index("Vi i teamet")
    segment = code_segment(leader, text, access, start, start + 18, "critical", "direct")
    memo = Memo.objects.create(
        evaluation=evaluation, code=access, text="Ventetid før innleggelsen."
    )
    assert matches(search(evaluation, "teamet")) == [
        ("turn", "teamet"),
        ("turn", "teamet"),
        ("quote", "teamet"),
    ]
    memo_hit = search(evaluation, "ventetiden").hits[0]
    assert (memo_hit.kind, memo_hit.match, memo_hit.code, memo_hit.text_id) == (
        "memo",
        "Ventetid",
        "Tilgang",
        None,
    )
    memo.text = "Lang saksbehandling."
    memo.save()
    assert search(evaluation, "ventetid").total == 0
    assert search(evaluation, "saksbehandlingen").total == 1
    segment.delete()
    memo.delete()
    assert [h.kind for h in search(evaluation, "teamet").hits] == ["turn", "turn"]
    assert search(evaluation, "saksbehandling").total == 0


def test_limit_and_offset_page_through_a_stable_order(evaluation, material):
    everything = search(evaluation, "hjelp")
    pages = [search(evaluation, "hjelp", limit=1, offset=n).hits[0].entry_id for n in range(3)]
    assert pages == [h.entry_id for h in everything.hits]
    assert search(evaluation, "hjelp", limit=1, offset=1).total == 3


@pytest.mark.parametrize("query", ["", "   ", "*", '""', "- + ( ) «»", "\x00"])
def test_a_query_without_words_raises_empty_query(evaluation, material, query):
    with pytest.raises(EmptyQuery) as refused:
        search(evaluation, query)
    assert refused.value.code == "empty_query"


def test_indexing_is_done_once(evaluation, material, django_assert_max_num_queries):
    search(evaluation, "hjelp")
    count = SearchEntry.objects.count()
    # Up to date: a few cheap checks, no writes.
    with django_assert_max_num_queries(6):
        search_module.ensure_indexed(evaluation)
    assert SearchEntry.objects.count() == count


# ---- the page ---------------------------------------------------------------------------------


def page_url(evaluation):
    return reverse("analysis:search", args=[evaluation.slug])


def test_the_page_shows_hits_in_context_with_filters_and_the_nav_link(
    evaluation, material, as_user
):
    client = as_user("peer_interviewer")
    response = client.get(page_url(evaluation), {"q": "innleggelsen", "site": material["south"].pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 hit" in page
    assert "etter <mark>innleggelse</mark> var det beste." in page
    assert 'name="code"' in page and "Code this" in page
    assert f'href="{page_url(evaluation)}"' in page  # the navigation


def test_the_page_in_bokmal_and_the_empty_query_message(evaluation, material, as_user):
    page = as_user("process_leader", "nb").get(page_url(evaluation), {"q": '" * "'})
    assert "Skriv minst ett ord å søke etter." in page.content.decode()
    english = as_user("process_leader").get(page_url(evaluation), {"q": "-"})
    assert "Type at least one word to search for." in english.content.decode()
    # No query yet: just the form, no message.
    first = as_user("process_leader").get(page_url(evaluation)).content.decode()
    assert "Type at least one word" not in first and 'name="q"' in first


@pytest.mark.parametrize(
    "params",
    [
        {
            "q": "hjelp",
            "site": "9" * 40,
            "group": "x",
            "code": "-1",
            "speaker": "Z" * 500,
            "page": "1e9",
        },
        {"q": "a" * 100_000},
        {"q": "hjelp", "page": "99999999999999999999"},
        {"q": "hj\x00elp", "site": "\x00", "speaker": "D1\x00", "code": "²"},
    ],
)
def test_bad_parameters_are_ignored_without_an_error(evaluation, material, as_user, params):
    response = as_user("process_leader").get(page_url(evaluation), params)
    assert response.status_code == 200


@pytest.mark.parametrize(("username", "status"), [("commissioner", 403), ("outsider", 404)])
def test_who_may_not_search(evaluation, material, client_as, username, status):
    client = client_as(username)
    client.raise_request_exception = False
    assert client.get(page_url(evaluation), {"q": "hjelp"}).status_code == status


def test_a_transcriber_may_search_but_not_code(evaluation, material, as_user):
    client = as_user("transcriber")
    client.raise_request_exception = False
    page = client.get(page_url(evaluation), {"q": "hjelp"}).content.decode()
    assert "<mark>hjelp</mark>" in page and "Code this" not in page
    response = client.post(page_url(evaluation), code_post(evaluation, material))
    assert response.status_code == 403
    assert not CodedSegment.objects.exists()


def code_post(evaluation, material, **changes):
    hit = next(h for h in search(evaluation, '"god hjelp"').hits if h.interview == "FG2")
    data = {
        "text": hit.text_id,
        "start": hit.sentence_start,
        "end": hit.sentence_end,
        "quote": hit.sentence,
        "code": evaluation.codes.get(name="Å bli møtt").pk,
        "polarity": "positive",
        "directness": "direct",
        "hit": hit.entry_id,
        "back": "q=%22god+hjelp%22&evil=1",
    }
    data.update(changes)
    return data


def test_coding_a_hit_creates_the_quote_and_goes_back_to_the_hits(evaluation, material, as_user):
    client = as_user("peer_interviewer")
    data = code_post(evaluation, material)
    response = client.post(page_url(evaluation), data)
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(evaluation)}?q=%22god+hjelp%22#hit-{data['hit']}"
    segment = CodedSegment.objects.get()
    assert segment.quote == "Jeg fikk god hjelp."
    assert (segment.text_id, segment.code.name, segment.polarity) == (
        material["fg2"].pk,
        "Å bli møtt",
        "positive",
    )
    assert material["fg2"].text[segment.start : segment.end] == segment.quote
    assert AuditEvent.objects.filter(action="analysis.code").count() == 1
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The quote was coded to Å bli møtt."
    ]
    # The new quote is itself found now, and the page offers it as a coded quote.
    assert [h.kind for h in search(evaluation, '"god hjelp"').hits] == ["turn", "turn", "quote"]


def test_a_shortened_quote_is_found_near_the_hit(evaluation, material, as_user):
    client = as_user("peer_interviewer")
    client.post(page_url(evaluation), code_post(evaluation, material, quote="god hjelp"))
    segment = CodedSegment.objects.get()
    assert segment.quote == "god hjelp"
    assert segment.start > material["fg2"].text.index("Hjemmebesøk")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": "999999"}, "The hit was not coded: its text was not found."),
        ({"text": "abc"}, "The hit was not coded: its text was not found."),
        ({"quote": "Dette står ikke der."}, "The hit was not coded: The quote was not found"),
        ({"quote": "   "}, "The hit was not coded: Quote: This field is required."),
        ({"code": "0"}, "The hit was not coded: Theme: "),
        ({"polarity": "evil"}, "The hit was not coded: Polarity: "),
    ],
)
def test_bad_coding_input_gives_a_message_and_codes_nothing(
    evaluation, material, as_user, changes, message
):
    client = as_user("peer_interviewer")
    response = client.post(page_url(evaluation), code_post(evaluation, material, **changes))
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)][0].startswith(message)
    assert not CodedSegment.objects.exists()


def test_a_text_of_another_evaluation_cannot_be_coded_from_here(evaluation, material, as_user):
    other = Evaluation.objects.create(name="Annen", slug="annen", commissioner="Annen kommune")
    site = Site.objects.create(evaluation=other, name="Vest", order=0)
    interview = Interview.objects.create(evaluation=other, code="X1", kind="individual", site=site)
    foreign = add_text(interview, [("D1", "Jeg fikk god hjelp.")])
    client = as_user("peer_interviewer")
    client.post(page_url(evaluation), code_post(evaluation, material, text=foreign.pk))
    assert not CodedSegment.objects.exists()


def test_a_blind_double_coder_does_not_find_the_other_coders_quotes(
    evaluation, material, as_user, user
):
    from bsbstudio.analysis.models import DoubleCoding

    leader, peer = user("process_leader"), user("peer_interviewer")
    text = material["fg1"]
    DoubleCoding.objects.create(text=text, coder_a=peer, coder_b=leader, started_by=leader)
    access = evaluation.codes.get(name="Tilgang")
    start = text.text.index("Vi i teamet")
    code_segment(leader, text, access, start, start + 18, "critical", "direct")
    query = {"q": "teamet", "code": access.pk}
    seen_by_peer = as_user("peer_interviewer").get(page_url(evaluation), query).content.decode()
    assert "0 hits" in seen_by_peer and "Coded quote" not in seen_by_peer
    seen_by_leader = as_user("process_leader").get(page_url(evaluation), query).content.decode()
    assert "2 hits" in seen_by_leader and "Coded quote" in seen_by_leader


@pytest.mark.parametrize(
    "garbage",
    [
        {"start": "-5", "end": "9" * 30, "hit": "abc", "back": "\x00" * 5000},
        {"quote": "x" * 100_000, "code": "", "polarity": ""},
        {"text": "\x00", "code": "\x00", "quote": "\x00"},
    ],
)
def test_garbage_posted_to_the_coding_form_codes_nothing(evaluation, material, as_user, garbage):
    client = as_user("peer_interviewer")
    client.raise_request_exception = False
    response = client.post(page_url(evaluation), code_post(evaluation, material, **garbage))
    assert response.status_code == 302
    assert response["Location"].startswith(page_url(evaluation))
    assert not CodedSegment.objects.exists()


def test_counting_stops_at_the_limit_and_says_there_are_more(
    evaluation, material, as_user, monkeypatch
):
    monkeypatch.setattr(search_module, "COUNT_LIMIT", 2)
    result = search(evaluation, "hjelp")
    assert (result.total, result.more, len(result.hits)) == (2, True, 3)
    page = as_user("process_leader").get(page_url(evaluation), {"q": "hjelp"}).content.decode()
    assert "More than 2 hits" in page

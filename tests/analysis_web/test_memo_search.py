"""Memos listed and searched with the analysis search: stems, keyword in context, blind coding."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bsbstudio.analysis.actions import code_segment, sync_guide_codes, write_memo
from bsbstudio.analysis.models import DoubleCoding, Memo


def memos_url(evaluation):
    return reverse("analysis:memos", args=[evaluation.slug])


def search_url(evaluation):
    return reverse("analysis:search", args=[evaluation.slug])


@pytest.fixture
def memos(evaluation, user):
    leader = user("process_leader")
    sync_guide_codes(evaluation)
    access = evaluation.codes.get(name="Tilgang")
    return {
        "stays": write_memo(
            leader,
            evaluation,
            "Flere forteller at innleggelser kom for sent, etter lang ventetid på time.",
        ),
        "other": write_memo(
            leader, evaluation, "Pårørende savner informasjon om planen.", code=access
        ),
    }


def test_a_stemmed_word_finds_the_memo_with_the_keyword_in_context(evaluation, memos, as_user):
    response = as_user("peer_interviewer").get(memos_url(evaluation), {"q": "innleggelsen"})
    assert response.status_code == 200
    page = response.content.decode()
    assert [m.pk for m in response.context["memos"]] == [memos["stays"].pk]
    assert "1 memo matches the search" in page
    assert (
        '<blockquote class="kwic">Flere forteller at <mark>innleggelser</mark> kom for sent, '
        "etter lang ventetid på time.</blockquote>"
    ) in page
    assert "savner informasjon" not in page
    # Without a search, both are listed, newest first, in full.
    listed = as_user("peer_interviewer").get(memos_url(evaluation))
    assert [m.pk for m in listed.context["memos"]] == [memos["other"].pk, memos["stays"].pk]
    assert "2 memos" in listed.content.decode()


def test_a_phrase_and_a_prefix_find_memos_too(evaluation, memos, as_user):
    client = as_user("process_leader")
    assert [
        m.pk for m in client.get(memos_url(evaluation), {"q": '"lang ventetid"'}).context["memos"]
    ] == [memos["stays"].pk]
    assert [m.pk for m in client.get(memos_url(evaluation), {"q": "pårør*"}).context["memos"]] == [
        memos["other"].pk
    ]
    assert not client.get(memos_url(evaluation), {"q": '"ventetid lang"'}).context["memos"]


@pytest.mark.parametrize("query", ['* "" ()', "- + * ?", '"'])
def test_a_query_of_only_operators_gives_a_message(evaluation, memos, as_user, query):
    response = as_user("process_leader").get(memos_url(evaluation), {"q": query})
    assert response.status_code == 200
    page = response.content.decode()
    assert '<p class="form-errors" role="alert">Type at least one word to search for.</p>' in page
    assert not response.context["memos"]
    assert Memo.objects.count() == 2


def test_a_memo_on_a_hidden_blind_coded_quote_is_not_shown_to_the_other_coder(
    evaluation, deidentified, as_user, user
):
    leader, peer = user("process_leader"), user("peer_interviewer")
    DoubleCoding.objects.create(text=deidentified, coder_a=peer, coder_b=leader, started_by=leader)
    access = evaluation.codes.get(name="Tilgang")
    start = deidentified.text.index("det tok lang tid")
    segment = code_segment(leader, deidentified, access, start, start + 16, "critical", "direct")
    write_memo(leader, evaluation, "Innleggelser nevnes her som et vendepunkt.", segment=segment)
    write_memo(leader, evaluation, "Innleggelsen er et tema i hele materialet.")

    as_peer = as_user("peer_interviewer")
    found = as_peer.get(memos_url(evaluation), {"q": "innleggelse"})
    assert [m.text for m in found.context["memos"]] == [
        "Innleggelsen er et tema i hele materialet."
    ]
    assert "vendepunkt" not in found.content.decode()
    assert "vendepunkt" not in as_peer.get(memos_url(evaluation)).content.decode()
    assert (
        "vendepunkt"
        not in as_peer.get(search_url(evaluation), {"q": "innleggelse"}).content.decode()
    )

    as_leader = as_user("process_leader")
    seen = as_leader.get(memos_url(evaluation), {"q": "innleggelse"})
    assert len(seen.context["memos"]) == 2
    assert "vendepunkt" in seen.content.decode()


def test_the_search_page_can_be_limited_to_memos_and_links_them(
    evaluation, deidentified, memos, as_user
):
    client = as_user("process_leader")
    everything = client.get(search_url(evaluation), {"q": "lang"})
    assert {hit.kind for hit in everything.context["result"].hits} == {"turn", "memo"}
    only_memos = client.get(search_url(evaluation), {"q": "lang", "kind": "memo"})
    hits = only_memos.context["result"].hits
    assert [(hit.kind, hit.memo_id, hit.match) for hit in hits] == [
        ("memo", memos["stays"].pk, "lang")
    ]
    assert f'href="{memos_url(evaluation)}?q=lang"' in only_memos.content.decode()
    only_turns = client.get(search_url(evaluation), {"q": "lang", "kind": "turn"})
    assert {hit.kind for hit in only_turns.context["result"].hits} == {"turn"}
    # An unknown choice is ignored, as the other filters are.
    assert len(
        client.get(search_url(evaluation), {"q": "lang", "kind": "x"}).context["result"].hits
    ) == len(everything.context["result"].hits)


def test_an_edited_memo_is_found_by_its_new_words(evaluation, memos, as_user):
    client = as_user("process_leader")
    assert client.get(memos_url(evaluation), {"q": "fastlegen"}).context["memos"] == []
    memo = memos["other"]
    memo.text = "Fastlegene visste lite om planen."
    memo.save()
    assert [
        m.pk for m in client.get(memos_url(evaluation), {"q": "fastlegen"}).context["memos"]
    ] == [memo.pk]


def test_the_found_memos_come_a_page_at_a_time(evaluation, memos, as_user, user, monkeypatch):
    from bsbstudio.analysis import memos as memo_module

    monkeypatch.setattr(memo_module, "MEMOS_PER_PAGE", 1)
    later = write_memo(user("process_leader"), evaluation, "Planene var ukjente for de fleste.")
    client = as_user("process_leader")
    first = client.get(memos_url(evaluation), {"q": "planen"})
    assert [m.pk for m in first.context["memos"]] == [memos["other"].pk]
    assert "2 memos match the search" in first.content.decode()
    assert 'href="?q=planen&amp;page=2"' in first.content.decode()
    second = client.get(memos_url(evaluation), {"q": "planen", "page": "2"})
    assert [m.pk for m in second.context["memos"]] == [later.pk]
    assert "page=3" not in second.content.decode()
    past = client.get(memos_url(evaluation), {"q": "planen", "page": "999999"})
    assert past.status_code == 200 and past.context["memos"] == []

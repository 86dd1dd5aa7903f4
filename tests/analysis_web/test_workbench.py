"""The coding workbench: quotes across turns, changing, removing, undo and redo, shortcuts."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.analysis import actions
from bsbstudio.analysis.models import CodedSegment, SearchEntry
from bsbstudio.analysis.speakers import with_speakers

QUESTION = "Hvordan har det vært å få hjelp fra teamet?"
ANSWER = "Altså … det tok lang tid før de kom første gang."
ACROSS = f"I: {QUESTION} / D1: {ANSWER}"


@pytest.fixture
def leader(as_user):
    client = as_user("process_leader")
    client.raise_request_exception = False
    return client


def user(django_user_model, name):
    return django_user_model.objects.get(username=name)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def across_span(deidentified) -> tuple[int, int]:
    start = deidentified.text.index(QUESTION)
    return start, deidentified.text.index(ANSWER) + len(ANSWER)


def code_post(client, evaluation, deidentified, **data):
    code = evaluation.codes.get(name="Tilgang")
    payload = {"code": code.pk, "polarity": "critical", "directness": "direct", **data}
    page = reverse("analysis:text", args=[evaluation.slug, deidentified.pk])
    return client.post(page, payload)


def coded(evaluation, deidentified, leader_user, quote=ANSWER, polarity="critical"):
    start = deidentified.text.index(quote)
    code = evaluation.codes.get(name="Tilgang")
    return actions.code_selection(
        leader_user, deidentified, code, start, start + len(quote), polarity, "direct"
    )


# 1. Quotes across turns


def test_a_selection_across_two_turns_is_coded_with_its_speakers(evaluation, leader, deidentified):
    start, end = across_span(deidentified)
    response = code_post(leader, evaluation, deidentified, quote=ACROSS, start=start, end=end)
    assert response.status_code == 302
    segment = CodedSegment.objects.get()
    assert (segment.start, segment.end) == (start, end)
    assert segment.quote == f"{QUESTION}\nD1: {ANSWER}"
    # A dialogue counts for the one who answered: their group places it in the matrix.
    assert segment.turn.speaker_code == "D1"
    assert segment.group is not None and segment.group == segment.turn.participation.informant.group
    page = leader.get(reverse("analysis:text", args=[evaluation.slug, deidentified.pk]))
    assert f"«{ACROSS}»" in page.content.decode()


def test_a_quote_across_turns_shows_its_speakers_in_the_matrix_cell(
    evaluation, leader, deidentified, django_user_model
):
    start, end = across_span(deidentified)
    code = evaluation.codes.get(name="Tilgang")
    actions.code_selection(
        user(django_user_model, "process_leader"),
        deidentified,
        code,
        start,
        end,
        "neutral",
        "direct",
    )
    matrix = leader.get(
        reverse("analysis:matrix", args=[evaluation.slug]), {"show": "quotes", "column": "polarity"}
    )
    assert f"«{ACROSS}»" in matrix.content.decode()
    cell = leader.get(
        reverse("analysis:cell", args=[evaluation.slug, code.pk, "neutral"]), {"column": "polarity"}
    )
    assert f"«{ACROSS}»" in cell.content.decode()


def test_a_quote_within_one_turn_is_shown_as_it_is(evaluation, deidentified, django_user_model):
    segment = coded(evaluation, deidentified, user(django_user_model, "process_leader"))
    assert with_speakers([segment])[0].display_quote == ANSWER


@pytest.mark.parametrize(
    "data, message",
    [
        ({"quote": ANSWER, "start": 70, "end": 70}, "The quote is empty"),
        ({"quote": "x", "start": 10_000, "end": 10_005}, "was not found"),
        ({"quote": "I: Velkommen. / Annen tekst: her", "start": "", "end": ""}, "was not found"),
    ],
)
def test_bad_selections_are_refused_with_a_message(evaluation, leader, deidentified, data, message):
    response = code_post(leader, evaluation, deidentified, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CodedSegment.objects.exists()


def test_an_overlapping_selection_of_the_same_theme_is_refused(
    evaluation, leader, deidentified, django_user_model
):
    coded(evaluation, deidentified, user(django_user_model, "process_leader"))
    start, end = across_span(deidentified)
    response = code_post(leader, evaluation, deidentified, quote=ACROSS, start=start, end=end)
    assert "You have already coded part of this passage to Tilgang" in response.content.decode()
    assert CodedSegment.objects.count() == 1


# 2. Change and remove


def test_changing_a_quote_moves_its_span_theme_turn_and_search_entry(
    evaluation, leader, deidentified, django_user_model
):
    segment = coded(evaluation, deidentified, user(django_user_model, "process_leader"))
    other = evaluation.codes.exclude(name="Tilgang").order_by("pk").first()
    quote = "ble jeg møtt med respekt"
    start = deidentified.text.index(quote)
    response = leader.post(
        reverse("analysis:recode", args=[evaluation.slug, segment.pk]),
        {
            "code": other.pk,
            "polarity": "positive",
            "directness": "indirect",
            "start": start,
            "end": start + len(quote),
        },
    )
    assert response.status_code == 302
    segment.refresh_from_db()
    assert (segment.code, segment.polarity, segment.directness) == (other, "positive", "indirect")
    assert segment.quote == quote
    assert segment.turn.order == 3
    assert AuditEvent.objects.filter(action="analysis.recode").count() == 1
    entry = SearchEntry.objects.filter(segment=segment).first()
    if entry is not None:  # indexed lazily: when it exists, it follows the edit
        assert "respekt" in entry.words


@pytest.mark.parametrize(
    "change, message",
    [
        ({"start": 5, "end": 5}, "The quote is empty"),
        ({"start": 5, "end": 100_000}, "runs outside the text"),
        ({"start": "x", "end": 7}, "was not changed"),
        ({"polarity": "glad"}, "was not changed"),
    ],
)
def test_a_bad_change_is_refused_and_changes_nothing(
    evaluation, leader, deidentified, django_user_model, change, message
):
    segment = coded(evaluation, deidentified, user(django_user_model, "process_leader"))
    data = {
        "code": segment.code_id,
        "polarity": "critical",
        "directness": "direct",
        "start": segment.start,
        "end": segment.end,
        **change,
    }
    response = leader.post(reverse("analysis:recode", args=[evaluation.slug, segment.pk]), data)
    assert response.status_code == 302
    assert any(message in m for m in messages_of(response))
    fresh = CodedSegment.objects.get()
    assert (fresh.start, fresh.end, fresh.polarity) == (segment.start, segment.end, "critical")


def test_only_members_who_code_may_change_a_quote(
    evaluation, client_as, deidentified, django_user_model
):
    segment = coded(evaluation, deidentified, user(django_user_model, "process_leader"))
    commissioner = client_as("commissioner")
    url = reverse("analysis:recode", args=[evaluation.slug, segment.pk])
    response = commissioner.post(url, {"polarity": "positive"})
    assert response.status_code == 403
    assert CodedSegment.objects.get().polarity == "critical"


# 3. Undo and redo


def undo(client, evaluation, deidentified):
    return client.post(reverse("analysis:undo", args=[evaluation.slug, deidentified.pk]))


def redo(client, evaluation, deidentified):
    return client.post(reverse("analysis:redo", args=[evaluation.slug, deidentified.pk]))


def test_undo_and_redo_a_coding_a_change_and_a_removal(
    evaluation, leader, deidentified, django_user_model
):
    start, end = across_span(deidentified)
    code_post(leader, evaluation, deidentified, quote=ACROSS, start=start, end=end)
    segment = CodedSegment.objects.get()
    leader.post(
        reverse("analysis:recode", args=[evaluation.slug, segment.pk]),
        {
            "code": segment.code_id,
            "polarity": "positive",
            "directness": "direct",
            "start": start,
            "end": end,
        },
    )
    leader.post(reverse("analysis:uncode", args=[evaluation.slug, segment.pk]))
    assert not CodedSegment.objects.exists()

    undo(leader, evaluation, deidentified)  # the removal
    restored = CodedSegment.objects.get()
    assert (restored.start, restored.end, restored.polarity) == (start, end, "positive")
    assert restored.turn.speaker_code == "D1" and restored.group_id is not None
    undo(leader, evaluation, deidentified)  # the change
    assert CodedSegment.objects.get().polarity == "critical"
    undo(leader, evaluation, deidentified)  # the coding
    assert not CodedSegment.objects.exists()
    response = undo(leader, evaluation, deidentified)
    assert messages_of(response)[-1] == "There is nothing to undo."

    redo(leader, evaluation, deidentified)
    assert CodedSegment.objects.get().polarity == "critical"
    redo(leader, evaluation, deidentified)
    assert CodedSegment.objects.get().polarity == "positive"
    redo(leader, evaluation, deidentified)
    assert not CodedSegment.objects.exists()
    assert messages_of(redo(leader, evaluation, deidentified))[-1] == "There is nothing to redo."
    assert AuditEvent.objects.filter(action__in=["analysis.undo", "analysis.redo"]).count() == 6


def test_undo_after_someone_else_changed_the_quote_is_refused(
    evaluation, as_user, deidentified, django_user_model
):
    leader = as_user("process_leader", "nb")
    segment = coded(evaluation, deidentified, user(django_user_model, "process_leader"))
    actions.edit_segment(user(django_user_model, "peer_interviewer"), segment, polarity="positive")
    response = undo(leader, evaluation, deidentified)
    assert messages_of(response)[-1] == "Sitatet er endret av en annen siden; ingenting ble angret."
    assert CodedSegment.objects.get().polarity == "positive"


def test_a_new_step_after_an_undo_cannot_be_redone_over(
    evaluation, leader, deidentified, django_user_model
):
    leader_user = user(django_user_model, "process_leader")
    coded(evaluation, deidentified, leader_user)
    actions.undo(leader_user, deidentified)
    coded(evaluation, deidentified, leader_user, quote="Det betyr mye.")
    with pytest.raises(actions.UndoError):
        actions.redo(leader_user, deidentified)
    assert list(CodedSegment.objects.values_list("quote", flat=True)) == ["Det betyr mye."]


# 4. The page: shortcuts documented, every action a button, no inline script


def test_the_page_documents_its_shortcuts_and_offers_every_action_as_a_button(
    evaluation, leader, deidentified, django_user_model
):
    coded(evaluation, deidentified, user(django_user_model, "process_leader"))
    html = leader.get(
        reverse("analysis:text", args=[evaluation.slug, deidentified.pk])
    ).content.decode()
    for shortcut in ("1–9", "P / K / N", "Ctrl+Z", "Ctrl+Shift+Z", "Delete"):
        assert f"<dt>{shortcut}</dt>" in html
    for button in ("Undo", "Redo", "Save the change", "Remove coding", "Save coding"):
        assert f">{button}</button>" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert not re.search(r"\son[a-z]+=", html)
    assert 'class="margin"' in html and ">Tilgang</a>" in html


def test_overlapping_quotes_stand_side_by_side_in_the_margin(
    evaluation, leader, deidentified, django_user_model
):
    leader_user = user(django_user_model, "process_leader")
    coded(evaluation, deidentified, leader_user)
    other = evaluation.codes.exclude(name="Tilgang").order_by("pk").first()
    start = deidentified.text.index("lang tid")
    actions.code_selection(leader_user, deidentified, other, start, start + 8, "neutral", "direct")
    html = leader.get(
        reverse("analysis:text", args=[evaluation.slug, deidentified.pk])
    ).content.decode()
    assert html.count('class="margin overlap"') == 1


def test_the_workbench_in_bokmal(evaluation, as_user, deidentified):
    html = (
        as_user("process_leader", "nb")
        .get(reverse("analysis:text", args=[evaluation.slug, deidentified.pk]))
        .content.decode()
    )
    assert "Tastatursnarveier" in html and "Angre" in html and "Gjør om" in html
    assert "Notat om denne transkripsjonen" in html
    memos = as_user("process_leader", "nb").get(reverse("analysis:memos", args=[evaluation.slug]))
    assert "Søk i notatene" in memos.content.decode()


# The demo


def test_the_demo_shows_dialogues_across_turns_once(db, verified_client):
    from bsbstudio.analysis.models import Memo
    from bsbstudio.demo.loader import DATA_DIR, demo_user, load_file
    from bsbstudio.demo.workbench import SLUG, load_workbench

    leader = demo_user("demo", "demo-password-1")
    load_file(DATA_DIR / "ambulant_team.yaml", leader)
    dialogues = CodedSegment.objects.filter(code__evaluation__slug=SLUG, quote__contains="\nD1: ")
    assert dialogues.count() == 2
    load_workbench(leader)
    assert dialogues.count() == 2
    segment = dialogues.get(code__name="Å bli møtt")
    assert segment.turn.speaker_code == "D1" and segment.group_id is not None
    html = (
        verified_client(leader)
        .get(reverse("analysis:text", args=[SLUG, segment.text_id]))
        .content.decode()
    )
    assert "«I: Og det var greit for deg? / D1: Det var det som gjorde" in html
    memos = Memo.objects.filter(evaluation__slug=SLUG)
    assert memos.count() == 4
    assert {
        bool(m.code_id) + 2 * bool(m.deidentified_text_id) + 4 * bool(m.segment_id) for m in memos
    } == {0, 1, 2, 4}
    memo_page = verified_client(leader).get(reverse("analysis:memos", args=[SLUG])).content.decode()
    assert "Kandidat til sluttrapporten" in memo_page


# 5. Memos


def memo_post(client, evaluation, **data):
    return client.post(reverse("analysis:memos", args=[evaluation.slug]), data)


def test_memos_on_the_evaluation_a_theme_a_transcript_and_a_quote_are_listed_and_searched(
    evaluation, leader, deidentified, django_user_model
):
    from bsbstudio.analysis.models import Memo

    segment = coded(evaluation, deidentified, user(django_user_model, "process_leader"))
    theme = evaluation.codes.get(name="Tilgang")
    memo_post(leader, evaluation, about="evaluation", body="Balansen mellom sidene mangler.")
    memo_post(leader, evaluation, about=f"code:{theme.pk}", body="Ventetid går igjen overalt.")
    back = memo_post(
        leader,
        evaluation,
        about=f"text:{deidentified.pk}",
        back_to_text=deidentified.pk,
        body="Fokusgruppa var urolig i starten.",
    )
    assert back.url == reverse("analysis:text", args=[evaluation.slug, deidentified.pk])
    memo_post(leader, evaluation, about=f"segment:{segment.pk}", body="Tre måneder er typisk.")
    assert Memo.objects.count() == 4
    assert (
        Memo.objects.get(deidentified_text=deidentified).text == "Fokusgruppa var urolig i starten."
    )
    assert AuditEvent.objects.filter(action="analysis.memo").count() == 4

    page = reverse("analysis:memos", args=[evaluation.slug])
    html = leader.get(page).content.decode()
    for text in ("Balansen mellom", "Ventetid går igjen", "urolig i starten", "Tre måneder er"):
        assert text in html
    found = leader.get(page, {"q": "VENTETID"}).content.decode()
    assert "<mark>Ventetid</mark> går igjen" in found and "Balansen mellom" not in found
    text_page = leader.get(
        reverse("analysis:text", args=[evaluation.slug, deidentified.pk])
    ).content.decode()
    assert "urolig i starten" in text_page and "Tre måneder er typisk." in text_page
    assert "Balansen mellom" not in text_page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"about": "evaluation", "body": "   "}, "Write something in the memo."),
        ({"about": "code:999999", "body": "x"}, "what it is about was not found"),
        ({"about": "segment:abc", "body": "x"}, "what it is about was not found"),
        ({"about": "evaluation", "body": "x" * 20_001}, "The memo was not saved"),
        ({"about": "evaluation", "body": "nul\x00byte"}, "The memo was not saved"),
    ],
)
def test_a_bad_memo_is_refused_with_a_message(evaluation, leader, data, message):
    from bsbstudio.analysis.models import Memo

    response = memo_post(leader, evaluation, **data)
    assert response.status_code == 302
    assert any(message in m for m in messages_of(response))
    assert not Memo.objects.exists()


def test_outsiders_of_the_coding_cannot_write_memos(evaluation, as_user):
    from bsbstudio.analysis.models import Memo

    commissioner = as_user("commissioner")
    response = memo_post(commissioner, evaluation, about="evaluation", body="Hei")
    assert not Memo.objects.exists()
    assert response.status_code in (302, 403)


def test_a_memo_search_of_odd_input_is_answered(evaluation, leader):
    page = reverse("analysis:memos", args=[evaluation.slug])
    for q in ("\x00", "%", "x" * 5000, '"'):
        assert leader.get(page, {"q": q}).status_code == 200

"""The coding workbench by keyboard: a quote across two turns coded, undone and redone; then a
stemmed search whose hit is coded from the results."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser

QUESTION = "Hvordan har det vært å få hjelp fra teamet?"
ANSWER = "Altså … det tok lang tid før de kom første gang."

# Select from the start of the question (the interviewer's turn) to the end of the answer (the
# next turn): its first letter is selected (as a click would), and Shift+arrows extend it.
CARET_AT_QUESTION = """(question) => {
  const turn = document.querySelectorAll('#transcript .turn-text')[0];
  const node = turn.firstChild;
  const at = node.textContent.indexOf(question);
  const selection = window.getSelection();
  selection.setBaseAndExtent(node, at, node, at + 1);
  return at;
}"""


def test_code_a_quote_across_two_turns_by_keyboard_then_undo_redo_and_code_a_search_hit(
    transactional_db,
    evaluation,
    transcript_text,
    log_in_as,
    live_server,
    django_user_model,
    verified_client,
    wait_until,
):
    from django.test import Client

    from bsbstudio.analysis.models import CodedSegment

    leader = django_user_model.objects.get(username="process_leader")
    client = verified_client(leader, Client())
    interview = evaluation.interviews.get(code="FG1")
    client.post(
        reverse("transcripts:upload", args=[evaluation.slug, interview.pk]),
        {"text": transcript_text},
    )
    transcript = interview.transcripts.get()
    client.post(
        reverse("deid:review", args=[evaluation.slug, transcript.pk]),
        {"confirm_rest": "1", "create_text": "1"},
    )
    text = transcript.deidentified_texts.get()
    first_code = evaluation.codes.order_by("kind", "order", "pk").first()

    page = log_in_as("process_leader")
    url = live_server.url + reverse("analysis:text", args=[evaluation.slug, text.pk])
    page.goto(url)
    assert page.evaluate(CARET_AT_QUESTION, QUESTION) >= 0
    # To the end of the question's line, then into the next turn word by word.
    page.keyboard.press("Shift+End")
    page.keyboard.press("Shift+ArrowDown")
    page.keyboard.press("Shift+Home")
    for _ in range(ANSWER.count(" ") + 1):
        page.keyboard.press("Control+Shift+ArrowRight")
    wait_until(page, "document.querySelector('[name=quote]').value.startsWith('I: ')")
    quote = page.evaluate("document.querySelector('[name=quote]').value")
    assert quote.startswith(f"I: {QUESTION} / D1: Altså"), quote

    page.keyboard.press("1")
    page.keyboard.press("k")
    page.keyboard.press("i")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    segment = CodedSegment.objects.get()
    assert segment.code == first_code
    assert (segment.polarity, segment.directness) == ("critical", "indirect")
    assert segment.quote.startswith(f"{QUESTION}\nD1: Altså")
    assert segment.turn.speaker_code == "D1"
    assert (
        page.locator(".quote-list blockquote")
        .first.inner_text()
        .startswith(f"«I: {QUESTION} / D1: ")
    )
    coded = (segment.start, segment.end)

    with page.expect_navigation():
        page.keyboard.press("Control+z")
    assert not CodedSegment.objects.exists()
    assert "Your last coding step was undone." in page.content()

    with page.expect_navigation():
        page.keyboard.press("Control+Shift+z")
    again = CodedSegment.objects.get()
    assert (again.start, again.end, again.code, again.polarity) == (*coded, first_code, "critical")

    # Search with one form of a word and find another: "respekten" finds "respekt".
    page.goto(live_server.url + reverse("analysis:search", args=[evaluation.slug]))
    page.focus("#search-q")
    page.keyboard.type("respekten")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#search-results").inner_text() == "1 hit"
    hit = page.locator(".search-hits li").first
    assert hit.locator("mark").inner_text() == "respekt"
    # Open "Code this", keep the proposed sentence, take the second theme, critical, and save.
    hit.locator("summary").focus()
    page.keyboard.press("Enter")
    assert hit.locator("details").evaluate("details => details.open")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "quote"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "code"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    assert page.evaluate("[document.activeElement.name, document.activeElement.value]") == [
        "polarity",
        "neutral",
    ]
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("document.activeElement.value") == "critical"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "directness"
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    second_code = evaluation.codes.order_by("kind", "order", "pk")[1]
    assert f"The quote was coded to {second_code.name}." in page.content()
    found = CodedSegment.objects.exclude(pk=again.pk).get()
    sentence = "Men når de først kom, ble jeg møtt med respekt."
    assert (found.code, found.polarity, found.directness) == (second_code, "critical", "direct")
    assert found.quote == sentence
    assert found.text_id == text.pk and text.text[found.start : found.end] == sentence
    assert (
        found.turn.speaker_code,
        found.turn.start <= found.start,
        found.end <= found.turn.end,
    ) == (
        "D1",
        True,
        True,
    )

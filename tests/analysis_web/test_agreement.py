"""Blind double coding: who may start and resolve it, blindness, comparison figures, resolving."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from bsbstudio.accounts.confidentiality import sign
from bsbstudio.accounts.models import AuditEvent, Membership, Role
from bsbstudio.analysis.actions import code_segment, locate_quote
from bsbstudio.analysis.models import AgreementResolution, CodedSegment, DoubleCoding

QUOTE_A = "det tok lang tid før de kom"
QUOTE_B = "ble jeg møtt med respekt"
SHARED = "Tre måneder, liksom."


@pytest.fixture
def coders(evaluation, make_user, user):
    """Two peer interviewers: the fixture's and a second one."""
    second = make_user("peer2", first_name="Per", last_name="To")
    Membership.objects.create(evaluation=evaluation, user=second, role=Role.PEER_INTERVIEWER)
    sign(second, evaluation, "Per To")
    return user("peer_interviewer"), second


def code(coder, text, quote, theme="Tilgang"):
    start, end = locate_quote(text.text, quote)
    code_ = text.transcript.interview.evaluation.codes.get(name=theme)
    return code_segment(coder, text, code_, start, end, "critical", "direct")


def start_url(evaluation):
    return reverse("analysis:agreement", args=[evaluation.slug])


def detail_url(evaluation, double_coding):
    return reverse("analysis:agreement_detail", args=[evaluation.slug, double_coding.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def actions_logged(prefix="analysis.double_coding") -> list[str]:
    return list(
        AuditEvent.objects.filter(action__startswith=prefix)
        .order_by("seq")
        .values_list("action", flat=True)
    )


@pytest.fixture
def started(evaluation, as_user, coders, deidentified):
    a, b = coders
    response = as_user("process_leader").post(
        start_url(evaluation), {"text": deidentified.pk, "coder_a": a.pk, "coder_b": b.pk}
    )
    assert response.status_code == 302
    return DoubleCoding.objects.get()


def test_leader_starts_double_coding_and_it_is_audited(started, coders, deidentified):
    assert (started.text, started.coder_a, started.coder_b) == (deidentified, *coders)
    assert started.compared_at is None and started.closed_at is None
    assert actions_logged() == ["analysis.double_coding.start"]


@pytest.mark.parametrize("role", ["commissioner", "peer_interviewer", "transcriber"])
def test_only_the_process_leader_may_start(evaluation, as_user, coders, deidentified, role):
    a, b = coders
    client = as_user(role)
    response = client.post(
        start_url(evaluation), {"text": deidentified.pk, "coder_a": a.pk, "coder_b": b.pk}
    )
    assert response.status_code == 403
    assert client.get(start_url(evaluation)).status_code == 403
    assert not DoubleCoding.objects.exists()
    assert actions_logged() == []


def test_same_coder_twice_is_refused_with_a_message(evaluation, as_user, coders, deidentified):
    a, _b = coders
    response = as_user("process_leader").post(
        start_url(evaluation), {"text": deidentified.pk, "coder_a": a.pk, "coder_b": a.pk}
    )
    assert response.status_code == 200
    assert "Choose two different people to code the text." in response.content.decode()
    assert not DoubleCoding.objects.exists()


def test_nonsense_ids_give_form_errors_not_server_errors(evaluation, as_user, deidentified):
    response = as_user("process_leader").post(
        start_url(evaluation), {"text": "9" * 40, "coder_a": "x", "coder_b": "\x00"}
    )
    assert response.status_code == 200
    assert not DoubleCoding.objects.exists()


def test_coders_are_blind_to_each_other_until_the_comparison(
    evaluation, as_user, coders, deidentified, started
):
    a, b = coders
    code(a, deidentified, QUOTE_A)
    code(b, deidentified, QUOTE_B)
    page = reverse("analysis:text", args=[evaluation.slug, deidentified.pk])

    def quotes_seen(username):
        html = as_user(username).get(page).content.decode()
        return {q for q in (QUOTE_A, QUOTE_B) if f"«{q}»" in html}

    assert quotes_seen("peer_interviewer") == {QUOTE_A}
    assert quotes_seen("peer2") == {QUOTE_B}
    assert quotes_seen("process_leader") == {QUOTE_A, QUOTE_B}
    assert "you see only your own quotes here" in as_user("peer2").get(page).content.decode()

    as_user("process_leader").post(detail_url(evaluation, started), {"op": "compare"})
    assert quotes_seen("peer_interviewer") == {QUOTE_A, QUOTE_B}
    as_user("process_leader").post(detail_url(evaluation, started), {"op": "close"})
    assert quotes_seen("peer2") == {QUOTE_A, QUOTE_B}
    assert actions_logged() == [
        "analysis.double_coding.start",
        "analysis.double_coding.compare",
        "analysis.double_coding.close",
    ]


def test_closing_before_comparing_lifts_the_blindness(
    evaluation, as_user, coders, deidentified, started
):
    a, b = coders
    code(b, deidentified, QUOTE_B)
    page = reverse("analysis:text", args=[evaluation.slug, deidentified.pk])
    assert f"«{QUOTE_B}»" not in as_user("peer_interviewer").get(page).content.decode()
    as_user("process_leader").post(detail_url(evaluation, started), {"op": "close"})
    assert f"«{QUOTE_B}»" in as_user("peer_interviewer").get(page).content.decode()


def test_one_coder_who_coded_nothing_gets_a_message_and_nothing_changes(
    evaluation, as_user, coders, deidentified, started
):
    a, _b = coders
    code(a, deidentified, QUOTE_A)
    response = as_user("process_leader").post(detail_url(evaluation, started), {"op": "compare"})
    assert response.status_code == 302
    assert messages_of(response) == [
        "Per To has not coded anything in this text yet, so there is nothing to compare. "
        "Wait until both have coded the text."
    ]
    started.refresh_from_db()
    assert started.compared_at is None and started.figures == {}
    assert actions_logged() == ["analysis.double_coding.start"]


def test_the_nothing_coded_message_is_in_bokmal(evaluation, as_user, coders, deidentified, started):
    code(coders[0], deidentified, QUOTE_A)
    response = as_user("process_leader", "nb").post(
        detail_url(evaluation, started), {"op": "compare"}
    )
    assert messages_of(response)[0].startswith("Per To har ikke kodet noe i denne teksten ennå")


def test_comparison_shows_figures_and_disagreements_side_by_side(
    evaluation, as_user, coders, deidentified, started
):
    a, b = coders
    code(a, deidentified, SHARED)
    code(b, deidentified, SHARED)
    code(a, deidentified, QUOTE_A, theme="Å bli møtt")
    leader = as_user("process_leader")
    leader.post(detail_url(evaluation, started), {"op": "compare"})
    started.refresh_from_db()
    figures = {t["code"]: t for t in started.figures["themes"]}
    access = evaluation.codes.get(name="Tilgang").pk
    respect = evaluation.codes.get(name="Å bli møtt").pk
    assert figures[access]["characters"]["kappa"] == 1.0
    assert figures[respect]["characters"]["kappa"] == pytest.approx(0.0)
    assert figures[respect]["segments"]["agreement"] == pytest.approx(0.5)
    html = leader.get(detail_url(evaluation, started)).content.decode()
    assert "Cohen's kappa" in html and "Krippendorff's alpha" in html
    assert "above 0.8 is good agreement" in html
    assert "<td>100 %</td><td>1.00</td><td>1.00</td>" in html
    # The one disagreement: A's quote beside "not coded"; the agreed quote is not listed.
    disagreements = html.split('id="disagreements-heading"')[1]
    assert f"«{QUOTE_A}»" in disagreements and "<em>not coded</em>" in disagreements
    assert f"«{SHARED}»" not in disagreements


@pytest.fixture
def compared(evaluation, as_user, coders, deidentified, started):
    """A: QUOTE_A and a longer SHARED; B: SHARED and QUOTE_B. Two disagreements on Tilgang."""
    a, b = coders
    segments = {
        "a_quote": code(a, deidentified, QUOTE_A),
        "a_shared": code(a, deidentified, "første gang. " + SHARED),
        "b_shared": code(b, deidentified, SHARED),
        "b_quote": code(b, deidentified, QUOTE_B),
    }
    as_user("process_leader").post(detail_url(evaluation, started), {"op": "compare"})
    started.refresh_from_db()
    return segments


def remaining() -> set[int]:
    return set(CodedSegment.objects.values_list("pk", flat=True))


def unit(*segments):
    return min(s.start for s in segments), max(s.end for s in segments)


def post_resolve(client, evaluation, started, segments, choice):
    start, end = unit(*segments)
    return client.post(
        detail_url(evaluation, started),
        {
            "op": "resolve",
            "code": segments[0].code_id,
            "start": start,
            "end": end,
            "choice": choice,
        },
    )


@pytest.mark.parametrize(
    ("choice", "kept"),
    [
        ("keep_a", {"a_shared"}),
        ("keep_b", {"b_shared"}),
        ("keep_both", {"a_shared", "b_shared"}),
        ("drop_both", set()),
    ],
)
def test_resolving_the_overlap_removes_the_right_quotes_and_is_audited(
    evaluation, as_user, started, compared, choice, kept
):
    overlap = (compared["a_shared"], compared["b_shared"])
    response = post_resolve(as_user("process_leader"), evaluation, started, overlap, choice)
    assert messages_of(response) == ["The disagreement is resolved."]
    untouched = {compared["a_quote"].pk, compared["b_quote"].pk}
    assert remaining() == untouched | {compared[name].pk for name in kept}
    resolution = AgreementResolution.objects.get()
    assert (resolution.choice, (resolution.start, resolution.end)) == (choice, unit(*overlap))
    event = AuditEvent.objects.filter(action="analysis.double_coding.resolve").get()
    assert event.detail["choice"] == choice
    assert set(event.detail["removed_segments"]) == {s.pk for s in overlap} - {
        compared[name].pk for name in kept
    }
    html = as_user("process_leader").get(detail_url(evaluation, started)).content.decode()
    assert f"«{compared['a_shared'].quote}»" not in html.split('id="disagreements-heading"')[1]


def test_keep_a_where_b_coded_nothing_keeps_the_quote_and_settles_it(
    evaluation, as_user, started, compared
):
    only_a = compared["a_quote"]
    # QUOTE_A and the shared passage are apart: QUOTE_A is a passage of its own.
    post_resolve(as_user("process_leader"), evaluation, started, (only_a,), "keep_a")
    assert only_a.pk in remaining()
    html = as_user("process_leader").get(detail_url(evaluation, started)).content.decode()
    assert f"«{QUOTE_A}»" not in html.split('id="disagreements-heading"')[1]


@pytest.mark.parametrize("role", ["commissioner", "peer_interviewer"])
def test_only_the_process_leader_may_resolve(evaluation, as_user, started, compared, role):
    overlap = (compared["a_shared"], compared["b_shared"])
    response = post_resolve(as_user(role), evaluation, started, overlap, "drop_both")
    assert response.status_code == 403
    assert len(remaining()) == 4
    assert not AgreementResolution.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"start": "1", "end": "2"},
        {"start": "-1"},
        {"code": "abc"},
        {"choice": "keep_everything"},
    ],
)
def test_stale_or_malformed_resolution_changes_nothing(
    evaluation, as_user, started, compared, fields
):
    start, end = unit(compared["a_shared"], compared["b_shared"])
    data = {
        "op": "resolve",
        "code": compared["a_shared"].code_id,
        "start": start,
        "end": end,
        "choice": "drop_both",
    }
    response = as_user("process_leader").post(detail_url(evaluation, started), data | fields)
    assert response.status_code == 302
    assert messages_of(response)[-1] != "The disagreement is resolved."
    assert len(remaining()) == 4
    assert not AgreementResolution.objects.exists()


def test_nothing_is_resolved_after_closing(evaluation, as_user, started, compared):
    leader = as_user("process_leader")
    leader.post(detail_url(evaluation, started), {"op": "close"})
    overlap = (compared["a_shared"], compared["b_shared"])
    response = post_resolve(leader, evaluation, started, overlap, "drop_both")
    assert messages_of(response)[-1] == "This double coding is closed; nothing was changed."
    assert len(remaining()) == 4


def test_demo_has_a_double_coding_ready_to_compare_loaded_once(db):
    from bsbstudio.analysis import agreement
    from bsbstudio.demo.agreement import CODINGS, load_agreement
    from bsbstudio.demo.loader import DATA_DIR, demo_user, load_file

    leader = demo_user("demo", "demo-passord-123")
    load_file(DATA_DIR / "ambulant_team.yaml", leader)
    double_coding = DoubleCoding.objects.get()
    assert double_coding.compared_at is None and double_coding.closed_at is None
    assert double_coding.text.transcript.interview.code == "FG2"
    coded = CodedSegment.objects.filter(
        text=double_coding.text, created_by__in=[double_coding.coder_a, double_coding.coder_b]
    )
    assert coded.count() == len(CODINGS)  # every demo quote was found in the de-identified text
    measured = agreement.open_comparison(leader, double_coding)
    kappas = [t.characters.kappa for t in measured.themes]
    assert max(kappas) > 0.8 and min(kappas) < 0.67  # good agreement on some themes, not all
    assert len(measured.disagreements) >= 4
    load_agreement(leader)  # a second run adds nothing
    assert DoubleCoding.objects.count() == 1
    assert coded.count() == len(CODINGS)


@pytest.fixture
def cli(monkeypatch):
    from bsbstudio.analysis import cli as analysis_cli
    from bsbstudio.cli.main import main

    # The test database is migrated already; the command's own migrate step is for real servers.
    monkeypatch.setattr(analysis_cli, "migrate", lambda: None)
    return main


def test_bsb_analysis_agreement_prints_the_table(cli, capsys, evaluation, coders, deidentified):
    a, b = coders
    code(a, deidentified, SHARED)
    code(b, deidentified, SHARED)
    code(a, deidentified, QUOTE_A, theme="Å bli møtt")
    argv = ["analysis", "agreement", "test", str(deidentified.pk), a.username, b.username]
    assert cli(argv) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Agreement of peer_interviewer and peer2 on FG1")
    assert out[1].split() == [
        "Theme",
        "chars",
        "%",
        "kappa",
        "alpha",
        "quotes",
        "%",
        "kappa",
        "alpha",
        "units",
    ]
    assert out[2].split() == ["Tilgang", "100.0", "1.000", "1.000", "100.0", "1.000", "1.000", "2"]
    assert out[3].split()[:5] == [
        "Å",
        "bli",
        "møtt",
        f"{100 * (1 - len(QUOTE_A) / len(deidentified.text)):.1f}",
        "0.000",
    ]
    assert out[-1] == "1 passages coded differently."
    assert QUOTE_A not in "\n".join(out)  # numbers only, never the quotes


def test_bsb_analysis_agreement_with_a_coder_who_coded_nothing(
    cli, capsys, evaluation, coders, deidentified
):
    a, b = coders
    code(a, deidentified, SHARED)
    argv = ["analysis", "agreement", "test", str(deidentified.pk), a.username, b.username]
    assert cli(argv) == 3
    assert "Per To has not coded anything in this text yet" in capsys.readouterr().err


def test_bsb_analysis_agreement_names_what_it_cannot_find(cli, capsys, evaluation, deidentified):
    argv = ["analysis", "agreement", "test", "999999", "nobody", "peer_interviewer"]
    assert cli(argv) == 4
    assert capsys.readouterr().err == "Not found: text 999999 in it, user 'nobody'.\n"


def test_closing_keeps_one_copy_of_quotes_both_coded_alike(
    evaluation, as_user, coders, deidentified, started
):
    a, b = coders
    a_shared, b_shared = code(a, deidentified, SHARED), code(b, deidentified, SHARED)
    only_a = code(a, deidentified, QUOTE_A)
    leader = as_user("process_leader")
    leader.post(detail_url(evaluation, started), {"op": "compare"})
    leader.post(detail_url(evaluation, started), {"op": "close"})
    assert remaining() == {a_shared.pk, only_a.pk}  # B's copy of the agreed quote is gone
    event = AuditEvent.objects.get(action="analysis.double_coding.close")
    assert event.detail == {"removed_duplicates": [b_shared.pk]}


def test_the_matrix_keeps_the_blindness_too(evaluation, as_user, coders, deidentified, started):
    a, b = coders
    code(a, deidentified, QUOTE_A)
    code(b, deidentified, QUOTE_B)
    page = reverse("analysis:matrix", args=[evaluation.slug]) + "?show=quotes"

    def quotes_seen(username):
        html = as_user(username).get(page).content.decode()
        return {q for q in (QUOTE_A, QUOTE_B) if q in html}

    assert quotes_seen("process_leader") == {QUOTE_A, QUOTE_B}
    assert quotes_seen("peer_interviewer") == {QUOTE_A}
    assert quotes_seen("peer2") == {QUOTE_B}

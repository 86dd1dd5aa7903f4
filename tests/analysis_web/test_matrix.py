"""The matrix page: counts by the database equal a hand count for every column, scope and filter;
sorting, folding, the balance flags, a cell's quotes a page at a time, and who may see it."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from django.urls import reverse

from bsbstudio.analysis import actions
from bsbstudio.analysis.models import Code, CodedSegment
from bsbstudio.fieldwork.models import Informant, Interview, Participation
from bsbstudio.guide.models import Theme
from bsbstudio.transcripts.models import DeidentifiedText, SpeakerTurn, Transcript

# (speaker, words): I is the interviewer; D1 a user (group B), D2 staff (group A).
TURNS = [
    ("I", "Hvordan var det å få hjelp?"),
    ("D1", "Det tok lang tid før de kom. Tre måneder ventet jeg på første time."),
    ("D2", "Vi har for få folk i teamet, det er sant, og ventelista er lang."),
    ("D1", "Men når de først kom ble jeg møtt med respekt og de lyttet til meg."),
]


def make_text(evaluation, interview_code: str, site) -> DeidentifiedText:
    """An interview at ``site`` with a de-identified text of TURNS, speakers linked."""
    users, staff = (evaluation.informant_groups.get(code=c) for c in ("B", "A"))
    interview = Interview.objects.create(
        evaluation=evaluation, code=interview_code, kind="focus_group", site=site
    )
    participations = {
        "D1": Participation.objects.create(
            interview=interview,
            informant=Informant.objects.create(
                evaluation=evaluation, code=f"B-{interview_code}", group=users, site=site
            ),
            speaker_code="D1",
        ),
        "D2": Participation.objects.create(
            interview=interview,
            informant=Informant.objects.create(
                evaluation=evaluation, code=f"A-{interview_code}", group=staff, site=site
            ),
            speaker_code="D2",
        ),
    }
    lines, spans, at = [], [], 0
    for speaker, words in TURNS:
        start = at + len(speaker) + 2
        lines.append(f"{speaker}: {words}\n")
        spans.append((speaker, start, start + len(words)))
        at += len(lines[-1])
    text = "".join(lines)
    transcript = Transcript.objects.create(interview=interview, raw_text=text)
    deidentified = DeidentifiedText.objects.create(transcript=transcript, text=text)
    for order, (speaker, start, end) in enumerate(spans):
        SpeakerTurn.objects.create(
            deidentified_text=deidentified,
            order=order,
            speaker_code=speaker,
            participation=participations.get(speaker),
            start=start,
            end=end,
        )
    return deidentified


def code(leader, deidentified, theme, quote, polarity="neutral", directness="direct"):
    start = deidentified.text.index(quote)
    return actions.code_segment(
        leader,
        deidentified,
        Code.objects.get(evaluation=deidentified.transcript.interview.evaluation, name=theme),
        start,
        start + len(quote),
        polarity,
        directness,
    )


@pytest.fixture
def coded(evaluation, user):
    """Two transcripts (Nord, Sør) with quotes of several themes, groups and polarities.

    "Ventetid" is a sub-theme of "Tilgang"; "Å bli møtt" has no critical quote.
    """
    leader = user("process_leader")
    access = Theme.objects.get(evaluation=evaluation, name="Tilgang")
    Theme.objects.create(evaluation=evaluation, name="Ventetid", parent=access, order=2)
    actions.sync_guide_codes(evaluation)
    north, south = evaluation.sites.get(name="Nord"), evaluation.sites.get(name="Sør")
    one = make_text(evaluation, "N1", north)
    two = make_text(evaluation, "S1", south)
    for text in (one, two):
        code(leader, text, "Tilgang", "Det tok lang tid før de kom", "critical")
        code(leader, text, "Ventetid", "Tre måneder ventet jeg", "critical", "indirect")
        code(leader, text, "Tilgang", "for få folk i teamet", "critical")
        code(leader, text, "Å bli møtt", "møtt med respekt", "positive")
    code(leader, one, "Å bli møtt", "de lyttet til meg", "neutral")
    code(leader, two, "Tilgang", "ventelista er lang", "neutral", "indirect")
    code(leader, one, "Tilgang", "Hvordan var det", "neutral")  # the interviewer: left out
    return {"one": one, "two": two, "north": north, "south": south}


def hand_count(segments, column):
    """Count quotes by (code, column key, polarity) the slow, obvious way."""
    counts = Counter()
    for s in segments:
        turn = (
            s.text.turns.filter(start__lte=s.start).order_by("-start").first()
        )  # the turn the quote starts in, found without the stored one
        if turn.participation is None:
            continue
        key = {
            "group": turn.participation.informant.group_id,
            "site": s.text.transcript.interview.site_id,
            "interview": s.text.transcript.interview_id,
            "polarity": s.polarity,
        }[column]
        counts[s.code_id, key, s.polarity] += 1
    return counts


def page_counts(response):
    """(code, column key, polarity) -> count, as the page's matrix holds them."""
    matrix = response.context["matrix"]
    counts = Counter()
    for theme in matrix.theme_ids:
        for key in matrix.column_ids:
            cell = matrix.cell(theme, key)
            for polarity in ("positive", "critical", "neutral"):
                if getattr(cell, polarity):
                    counts[theme, key, polarity] = getattr(cell, polarity)
    return counts


def matrix_url(evaluation):
    return reverse("analysis:matrix", args=[evaluation.slug])


@pytest.mark.parametrize("column", ["group", "site", "interview", "polarity"])
def test_counts_equal_a_hand_count_for_each_column(evaluation, coded, as_user, column):
    response = as_user("process_leader").get(matrix_url(evaluation), {"column": column})
    assert response.status_code == 200
    expected = hand_count(CodedSegment.objects.all(), column)
    assert page_counts(response) == expected
    assert response.context["matrix"].total == sum(expected.values()) == 10


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        ({"polarity": "critical"}, lambda s: s.polarity == "critical"),
        ({"directness": "indirect"}, lambda s: s.directness == "indirect"),
        ({"group": "A"}, lambda s: s.group.code == "A"),
        ({"site": "Sør"}, lambda s: s.site.name == "Sør"),
        ({"text": "one"}, lambda s: s.interview.code == "N1"),
        (
            {"site": "Nord", "polarity": "positive"},
            lambda s: s.site.name == "Nord" and s.polarity == "positive",
        ),
    ],
)
def test_filters_and_scopes_count_only_their_quotes(evaluation, coded, as_user, params, keep):
    ids = {
        "group": lambda v: evaluation.informant_groups.get(code=v).pk,
        "site": lambda v: evaluation.sites.get(name=v).pk,
        "text": lambda v: coded[v].pk,
    }
    query = {k: ids[k](v) if k in ids else v for k, v in params.items()}
    response = as_user("process_leader").get(matrix_url(evaluation), query)
    kept = [s for s in CodedSegment.objects.exclude(group=None) if keep(s)]
    assert kept, "the filter must keep something for the test to mean anything"
    assert page_counts(response) == hand_count(kept, "group")


def test_scope_captions_name_the_site_and_the_transcript(evaluation, coded, as_user):
    client = as_user("process_leader")
    site = client.get(matrix_url(evaluation), {"site": coded["south"].pk}).content.decode()
    assert "Quotes from Sør (5)" in site
    text = client.get(matrix_url(evaluation), {"text": coded["one"].pk}).content.decode()
    assert "Quotes from transcript N1 (5)" in text
    assert f'<option value="{coded["one"].pk}" selected>N1</option>' in text
    assert f'<option value="{coded["two"].pk}">S1</option>' in text
    link = reverse("analysis:text", args=[evaluation.slug, coded["two"].pk])
    assert f'<a href="{link}">S1</a>' in text


def test_sort_by_count_and_by_share_of_critical_quotes(evaluation, coded, as_user):
    client = as_user("process_leader")

    def order(sort):
        rows = client.get(matrix_url(evaluation), {"sort": sort}).context["rows"]
        return [code.name for code, _cells, _row in rows]

    # Tilgang 5 quotes (4 critical), Å bli møtt 3 (none critical), Ventetid 2 (both critical).
    assert order("") == ["Tilgang", "Å bli møtt", "Ventetid"]
    assert order("count") == ["Tilgang", "Å bli møtt", "Ventetid"]
    assert order("critical") == ["Ventetid", "Tilgang", "Å bli møtt"]


def test_folding_counts_a_sub_theme_under_its_main_theme(evaluation, coded, as_user):
    client = as_user("process_leader")
    response = client.get(matrix_url(evaluation), {"fold": "1"})
    names = [code.name for code, _c, _r in response.context["rows"]]
    assert names == ["Tilgang", "Å bli møtt"]
    access = Code.objects.get(evaluation=evaluation, name="Tilgang")
    assert response.context["matrix"].row_total(access.pk) == 7
    users = evaluation.informant_groups.get(code="B")
    cell = client.get(
        reverse("analysis:cell", args=[evaluation.slug, access.pk, users.pk]), {"fold": "1"}
    ).content.decode()
    assert "Tre måneder ventet jeg" in cell  # the sub-theme's quote, under its main theme
    unfolded = client.get(
        reverse("analysis:cell", args=[evaluation.slug, access.pk, users.pk])
    ).content.decode()
    assert "Tre måneder ventet jeg" not in unfolded
    assert "Det tok lang tid før de kom" in unfolded


def test_balance_flags_themes_without_critical_quotes(evaluation, coded, as_user):
    html = as_user("process_leader", "nb").get(matrix_url(evaluation)).content.decode()
    balance = html[html.index('class="balance"') :]
    met_row = balance[balance.index("Å bli møtt") :].split("</tr>")[0]
    assert "ingen kritiske sitater" in met_row
    access_row = balance[balance.index(">Tilgang<") :].split("</tr>")[0]
    assert "ingen kritiske sitater" not in access_row
    assert "ingen positive sitater" in access_row
    # The text alternative: the numbers stand in the table beside the bar.
    assert re.search(r"<td>4</td><td>1</td><td>0</td>", access_row.replace("\n", ""))


def test_the_legend_names_all_three_polarities(evaluation, coded, as_user):
    html = as_user("process_leader", "nb").get(matrix_url(evaluation)).content.decode()
    legend = html[html.index('id="matrix-legend"') :].split("</p>")[0]
    for word in ("positiv", "kritisk", "nøytral"):
        assert word in legend


def test_a_cell_opens_its_quotes_a_page_at_a_time(evaluation, coded, as_user, user):
    leader = user("process_leader")
    for _ in range(55):
        code(leader, coded["one"], "Å bli møtt", "møtt med respekt", "positive")
    users = evaluation.informant_groups.get(code="B")
    met = Code.objects.get(evaluation=evaluation, name="Å bli møtt")
    url = reverse("analysis:cell", args=[evaluation.slug, met.pk, users.pk])
    client = as_user("process_leader")
    first = client.get(url, HTTP_HX_REQUEST="true")
    assert len(first.context["quotes"]) == 50
    assert first.context["page"].paginator.count == 58
    second = client.get(url, {"page": "2"}, HTTP_HX_REQUEST="true")
    assert len(second.context["quotes"]) == 8
    assert "page=2" in first.content.decode()


@pytest.mark.parametrize(
    ("column", "key"), [("polarity", "positive"), ("site", None), ("interview", None)]
)
def test_a_cell_of_another_column_holds_the_quotes_of_that_column(
    evaluation, coded, as_user, column, key
):
    met = Code.objects.get(evaluation=evaluation, name="Å bli møtt")
    key = (
        key
        or {"site": coded["north"].pk, "interview": coded["one"].transcript.interview_id}[column]
    )
    response = as_user("process_leader").get(
        reverse("analysis:cell", args=[evaluation.slug, met.pk, key]), {"column": column}
    )
    quotes = list(response.context["quotes"])
    expected = [
        s
        for s in CodedSegment.objects.filter(code=met).exclude(group=None)
        if {"polarity": s.polarity, "site": s.site_id, "interview": s.interview_id}[column] == key
    ]
    assert sorted(q.pk for q in quotes) == sorted(s.pk for s in expected)
    assert expected


@pytest.mark.parametrize("key", ["999999", "abc", "positive"])
def test_a_cell_outside_the_matrix_is_not_found(evaluation, coded, as_user, key):
    met = Code.objects.get(evaluation=evaluation, name="Å bli møtt")
    response = as_user("process_leader").get(
        reverse("analysis:cell", args=[evaluation.slug, met.pk, key])
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "params", [{"column": "service"}, {"sort": "x" * 5000}, {"text": "-1"}, {"group": "\x00"}]
)
def test_a_choice_that_is_no_choice_shows_the_usual_matrix(evaluation, coded, as_user, params):
    response = as_user("process_leader").get(matrix_url(evaluation), params)
    assert response.status_code == 200
    assert response.context["query"].column == "group"
    assert response.context["matrix"].total == 10


def test_quotes_in_cells_and_the_limit_that_asks_for_a_narrower_scope(
    evaluation, coded, as_user, monkeypatch
):
    client = as_user("process_leader")
    html = client.get(matrix_url(evaluation), {"show": "quotes"}).content.decode()
    assert "«møtt med respekt»" in html and "(N1, D1; positive)" in html
    assert "«Hvordan var det»" not in html  # the interviewer's turn
    from bsbstudio.analysis import views

    monkeypatch.setattr(views, "QUOTES_IN_CELLS_LIMIT", 3)
    html = client.get(matrix_url(evaluation), {"show": "quotes"}).content.decode()
    assert "too many to show in the cells" in html
    assert "«møtt med respekt»" not in html


@pytest.mark.parametrize(
    ("username", "status"),
    [("commissioner", 403), ("outsider", 404), ("peer_interviewer", 200), ("transcriber", 200)],
)
def test_who_may_see_the_matrix_and_a_cell(evaluation, coded, client_as, username, status):
    client = client_as(username)
    met = Code.objects.get(evaluation=evaluation, name="Å bli møtt")
    users = evaluation.informant_groups.get(code="B")
    assert client.get(matrix_url(evaluation)).status_code == status
    cell = client.get(reverse("analysis:cell", args=[evaluation.slug, met.pk, users.pk]))
    assert cell.status_code == status


# --- the stored turn and place of a quote -----------------------------------------------------


def test_coding_stores_the_turn_and_place_of_the_quote(evaluation, coded):
    segment = CodedSegment.objects.get(quote="for få folk i teamet", text=coded["two"])
    assert segment.turn.speaker_code == "D2"
    assert (segment.group.code, segment.site.name, segment.interview.code) == ("A", "Sør", "S1")
    interviewer = CodedSegment.objects.get(quote="Hvordan var det")
    assert interviewer.turn.speaker_code == "I" and interviewer.group is None


def test_place_follows_a_new_speaker_a_new_group_and_a_new_site(evaluation, coded):
    segment = CodedSegment.objects.get(quote="for få folk i teamet", text=coded["two"])
    users = evaluation.informant_groups.get(code="B")
    turn = segment.turn
    turn.participation = Participation.objects.get(interview=segment.interview, speaker_code="D1")
    turn.save()
    segment.refresh_from_db()
    assert segment.group == users
    informant = turn.participation.informant
    informant.group = evaluation.informant_groups.get(code="A")
    informant.save()
    segment.refresh_from_db()
    assert segment.group.code == "A"
    interview = segment.interview
    interview.site = coded["north"]
    interview.save()
    segment.refresh_from_db()
    assert segment.site == coded["north"]


def test_the_speakers_page_bulk_change_moves_the_quotes(evaluation, coded, user):
    from bsbstudio.transcripts.actions import _link_turns

    segment = CodedSegment.objects.get(quote="for få folk i teamet", text=coded["two"])
    interview = segment.interview
    d1 = Participation.objects.get(interview=interview, speaker_code="D1")

    class Label:  # what the speakers page knows of one speaker label
        label = "D2"
        orders = [2]

    assert _link_turns(segment.text.transcript, Label, d1, "participant") == 1
    segment.refresh_from_db()
    assert segment.group.code == "B"


def test_the_data_migrations_fill_the_turn_and_the_place(evaluation, coded):
    from importlib import import_module

    from django.apps import apps

    turn_migration = import_module(
        "bsbstudio.analysis.migrations.0002_segment_turn_and_matrix_index"
    )
    place_migration = import_module("bsbstudio.analysis.migrations.0005_segment_matrix_place")
    before = {
        s.pk: (s.turn_id, s.group_id, s.site_id, s.interview_id) for s in CodedSegment.objects.all()
    }
    CodedSegment.objects.update(turn=None, group=None, site=None, interview=None)
    turn_migration.fill_turns(apps, None)
    place_migration.fill_places(apps, None)
    after = {
        s.pk: (s.turn_id, s.group_id, s.site_id, s.interview_id) for s in CodedSegment.objects.all()
    }
    assert after == before
    assert all(turn is not None for turn, *_ in after.values())


# --- colours and print --------------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_heat_shade_keeps_four_and_a_half_to_one_contrast():
    css = (
        Path(__file__).parents[2] / "src/bsbstudio/analysis/static/analysis/matrix.css"
    ).read_text(encoding="utf-8")
    shades = re.findall(
        r"td\.heat-(\d) \{ background: (#[0-9a-f]{6}); color: (#[0-9a-f]{6}); \}", css
    )
    assert [level for level, _b, _c in shades] == ["0", "1", "2", "3", "4", "5"]
    for _level, background, colour in shades:
        light, dark = sorted((_luminance(background), _luminance(colour)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5
    assert "@media print" in css


def test_the_page_loads_the_matrix_stylesheet_and_marks_what_not_to_print(
    evaluation, coded, as_user
):
    html = as_user("process_leader").get(matrix_url(evaluation)).content.decode()
    assert "analysis/matrix.css" in html
    assert 'class="matrix-choices no-print"' in html

"""The code tree: colours that keep their contrast, the tree in the workbench, editing themes."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.analysis import actions, colours
from bsbstudio.analysis.models import Code, CodedSegment
from bsbstudio.guide.models import Theme

WHITE, BLACK = "#ffffff", "#000000"


# 1. Colours


def test_contrast_follows_wcag():
    assert colours.contrast(WHITE, BLACK) == pytest.approx(21)
    assert colours.contrast("#777777", "#777777") == pytest.approx(1)
    # WCAG's own example: #767676 on white is just above 4.5:1.
    assert colours.contrast("#767676", WHITE) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("colour", colours.PALETTE_HEXES)
def test_every_palette_colour_stands_out_and_carries_readable_text(colour):
    # A swatch or a margin bar is a graphic: 3:1 against the white page (WCAG 1.4.11).
    assert colours.contrast(colour, WHITE) >= 3
    # Text drawn on it, black or white as chosen, is body text: 4.5:1 (WCAG 1.4.3).
    assert colours.contrast(colour, colours.text_on(colour)) >= 4.5


def test_the_palette_has_a_dozen_distinct_colours():
    assert len(set(colours.PALETTE_HEXES)) == len(colours.PALETTE) >= 10
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours.PALETTE_HEXES)
    # Both black and white text are needed: the choice is made by contrast, not fixed.
    assert {colours.text_on(c) for c in colours.PALETTE_HEXES} == {WHITE, BLACK}


def test_a_code_has_its_chosen_colour_or_the_palette_colour_of_its_place():
    chosen, unset = Code(colour="#C62828"), Code(colour="")
    assert colours.colour_of(chosen, 0) == "#c62828"
    assert colours.colour_of(unset, 1) == colours.PALETTE_HEXES[1]
    assert colours.colour_of(unset, len(colours.PALETTE)) == colours.PALETTE_HEXES[0]
    assert colours.colour_of(Code(colour="#123456"), 2) == colours.PALETTE_HEXES[2]


def test_themes_without_a_colour_avoid_the_colours_chosen_for_others():
    red, blue = "#c62828", colours.PALETTE_HEXES[0]
    assigned = colours.colours_of([(1, ""), (2, red), (3, ""), (4, "#123456"), (5, blue.upper())])
    assert assigned[2] == red and assigned[5] == blue
    assert red not in (assigned[1], assigned[3], assigned[4])
    assert blue not in (assigned[1], assigned[3], assigned[4])
    assert len({assigned[1], assigned[3], assigned[4]}) == 3
    # More themes than colours: the palette repeats rather than fail.
    many = colours.colours_of([(i, "") for i in range(30)])
    assert set(many.values()) == set(colours.PALETTE_HEXES)


# 2. The tree in the workbench


@pytest.fixture
def tree(evaluation, user):
    """Tilgang > Ventetid (guide), Transport (emergent) > Buss (emergent), in Tilgang's colour."""
    leader = user("process_leader")
    access = Theme.objects.get(evaluation=evaluation, name="Tilgang")
    Theme.objects.create(evaluation=evaluation, name="Ventetid", parent=access, order=2)
    actions.sync_guide_codes(evaluation)
    transport = actions.create_emergent_code(leader, evaluation, "Transport")
    bus = actions.create_emergent_code(leader, evaluation, "Buss")
    actions.edit_code(leader, bus, name="Buss", description="", parent_id=transport.pk)
    actions.edit_code(leader, evaluation.codes.get(name="Tilgang"), colour="#c62828")
    return {c.name: c for c in evaluation.codes.all()}


def text_url(evaluation, deidentified):
    return reverse("analysis:text", args=[evaluation.slug, deidentified.pk])


def edit_url(evaluation, code, deidentified=None):
    url = reverse("analysis:code_edit", args=[evaluation.slug, code.pk])
    return f"{url}?text={deidentified.pk}" if deidentified else url


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def code_quote(evaluation, deidentified, user, name, quote, polarity="critical"):
    start = deidentified.text.index(quote)
    code = evaluation.codes.get(name=name)
    return actions.code_selection(
        user("process_leader"), deidentified, code, start, start + len(quote), polarity, "direct"
    )


def tree_section(html: str) -> str:
    return html[
        html.index('id="code-tree"') : html.index("</section>", html.index('id="code-tree"'))
    ]


def test_the_workbench_shows_the_code_tree_with_colours_and_counts(
    evaluation, deidentified, tree, as_user, user
):
    code_quote(evaluation, deidentified, user, "Tilgang", "det tok lang tid")
    code_quote(evaluation, deidentified, user, "Tilgang", "for få folk")
    code_quote(evaluation, deidentified, user, "Buss", "Tre måneder")
    html = as_user("process_leader").get(text_url(evaluation, deidentified)).content.decode()
    section = tree_section(html)
    # Sub-themes nest in the list of their main theme: a guide one and an emergent one.
    access_list = section[section.index(">Tilgang<") :]
    assert access_list.index(">Ventetid<") < access_list.index("</ul>")
    transport = section[section.index(">Transport<") :]
    assert transport.index(">Buss<") < transport.index("</ul>")
    assert section.index(">Ventetid<") < section.index(">Å bli møtt<")
    # Each with its swatch and its number of quotes in this text.
    assert 'style="background-color: #c62828"' in section
    assert re.search(r">Tilgang</span>.*?2 quotes", section, re.S)
    assert re.search(r">Buss</span>.*?1 quote<", section, re.S)
    assert re.search(r">Ventetid</span>.*?0 quotes", section, re.S)
    # A theme with sub-themes can be folded by a button that says whether it is open.
    fold = re.search(
        r'<button type="button" class="fold" aria-expanded="true" aria-controls="([^"]+)"',
        section[section.index(">Å bli møtt<") :],
    )
    assert fold and f'id="{fold.group(1)}"' in section
    assert section.count('class="fold"') == 2  # Tilgang and Transport
    assert section.count('class="code-edit"') == len(tree)


def test_the_coding_form_offers_the_themes_as_a_tree_in_their_colours(
    evaluation, deidentified, tree, as_user
):
    html = as_user("process_leader").get(text_url(evaluation, deidentified)).content.decode()
    select = html[html.index('name="code"') : html.index("</select>", html.index('name="code"'))]
    options = re.findall(r'<option value="(\d+)"([^>]*)>([^<]*)</option>', select)
    names = [label.replace("\u00a0", " ").strip() for _pk, _attrs, label in options]
    assert names == ["Tilgang", "└ Ventetid", "Å bli møtt", "Transport", "└ Buss"]
    attrs = {label.strip(" \u00a0└"): a for _pk, a, label in options}
    assert 'data-colour="#c62828"' in attrs["Tilgang"]
    assert "color: #ffffff" in attrs["Tilgang"]
    assert all("data-colour=" in a for a in attrs.values())


def test_margin_quotes_take_their_theme_colour_and_keep_their_names(
    evaluation, deidentified, tree, as_user, user
):
    code_quote(evaluation, deidentified, user, "Tilgang", "det tok lang tid")
    code_quote(evaluation, deidentified, user, "Buss", "lang tid før de kom", "positive")
    html = as_user("process_leader").get(text_url(evaluation, deidentified)).content.decode()
    assert html.count('class="margin overlap"') == 1
    margin = html[html.index('class="margin overlap"') :].split("</span></span></div>")[0]
    assert "--code-colour: #c62828" in margin
    in_order = Code.objects.filter(evaluation=evaluation).order_by("kind", "order", "pk")
    bus_colour = colours.colours_of(list(in_order.values_list("pk", "colour")))[tree["Buss"].pk]
    assert f"--code-colour: {bus_colour}" in margin and bus_colour != "#c62828"
    # The colour is never the only cue: the theme's name and the polarity are written out.
    assert ">Tilgang</a>" in margin and ">Buss</a>" in margin
    assert 'title="Critical">−<' in margin and 'title="Positive">+<' in margin


def test_a_reader_sees_the_tree_but_no_edit_links(evaluation, deidentified, tree, as_user):
    html = as_user("transcriber").get(text_url(evaluation, deidentified)).content.decode()
    assert ">Buss<" in tree_section(html)
    assert "code-edit" not in html


def test_the_matrix_rows_show_the_swatch(evaluation, tree, as_user):
    html = as_user("process_leader").get(reverse("analysis:matrix", args=[evaluation.slug]))
    rows = re.findall(r'<th scope="row"[^>]*>(.*?)</th>', html.content.decode(), re.S)
    row = next(r for r in rows if "Tilgang" in r)
    assert "background-color: #c62828" in row and 'class="swatch"' in row


# 3. Editing a theme


def test_an_emergent_theme_is_renamed_described_moved_and_coloured(
    evaluation, deidentified, tree, as_user
):
    client = as_user("process_leader")
    bus = tree["Buss"]
    response = client.post(
        edit_url(evaluation, bus),
        {
            "name": "  Buss og bane ",
            "description": "Om å komme seg til tilbudene.",
            "parent": tree["Tilgang"].pk,
            "colour": "#2E7D32",
            "text": deidentified.pk,
        },
    )
    assert response.status_code == 302 and response.url.endswith(f"?text={deidentified.pk}")
    bus.refresh_from_db()
    assert (bus.name, bus.description, bus.parent_id, bus.colour) == (
        "Buss og bane",
        "Om å komme seg til tilbudene.",
        tree["Tilgang"].pk,
        "#2e7d32",
    )
    event = (
        AuditEvent.objects.filter(action="analysis.code.edit", object_id=str(bus.pk))
        .order_by("seq")
        .last()
    )
    assert event.detail["before"]["name"] == "Buss" and event.detail["after"]["colour"] == "#2e7d32"
    # Back on top, with the palette's colour again.
    client.post(edit_url(evaluation, bus), {"name": "Buss og bane", "parent": "", "colour": ""})
    bus.refresh_from_db()
    assert (bus.parent_id, bus.colour) == (None, "")


def test_a_guide_theme_only_gets_a_colour(evaluation, tree, as_user):
    client = as_user("process_leader")
    access = tree["Tilgang"]
    page = client.get(edit_url(evaluation, access)).content.decode()
    assert 'name="name"' not in page and 'name="parent"' not in page
    assert "comes from the theme guide" in page
    client.post(edit_url(evaluation, access), {"colour": "#6a3d9a"})
    access.refresh_from_db()
    assert access.colour == "#6a3d9a"
    response = client.post(
        edit_url(evaluation, access),
        {"colour": "#1f5fa8", "name": "Adgang", "parent": tree["Transport"].pk},
    )
    assert any("comes from the theme guide" in m for m in messages_of(response))
    access.refresh_from_db()
    assert (access.name, access.colour, access.parent_id) == ("Tilgang", "#6a3d9a", None)


def test_the_guide_note_in_bokmal(evaluation, tree, as_user):
    page = as_user("process_leader", "nb").get(edit_url(evaluation, tree["Tilgang"]))
    html = page.content.decode()
    assert "temaguiden" in html and "Farge" in html


def snapshot(evaluation):
    return list(
        Code.objects.filter(evaluation=evaluation)
        .order_by("pk")
        .values_list("pk", "name", "description", "parent_id", "colour")
    )


@pytest.fixture
def other_evaluation_code(db, tree):
    from bsbstudio.evaluations.models import Evaluation

    other = Evaluation.objects.create(name="Annen", slug="annen", commissioner="X")
    return Code.objects.create(evaluation=other, name="Fremmed", kind=Code.Kind.EMERGENT)


@pytest.mark.parametrize(
    ("target", "data", "message"),
    [
        ("Buss", {"colour": "#123456"}, "Choose one of the colours in the list"),
        ("Buss", {"colour": "red"}, "Choose one of the colours in the list"),
        ("Transport", {"name": "Transport", "parent": "Buss"}, "own sub-themes"),
        ("Transport", {"name": "Transport", "parent": "Transport"}, "under itself"),
        ("Buss", {"name": "Buss", "parent": "other"}, "Choose one of the evaluation's themes"),
        ("Buss", {"name": "Buss", "parent": "99999999"}, "Choose one of the evaluation's themes"),
        ("Buss", {"name": "Buss", "parent": "1; DROP"}, "Choose one of the evaluation's themes"),
        ("Buss", {"name": "B" * 201}, "at most 200 characters"),
        ("Buss", {"name": "Bu\x00ss"}, "Null characters are not allowed"),
        ("Buss", {"name": "Buss", "description": "Om\x00 buss"}, "Null characters are not allowed"),
        ("Buss", {"name": "   "}, "Write a name for the theme"),
        ("Buss", {"name": "tilgang"}, "already a theme called"),
    ],
)
def test_bad_edits_give_a_message_and_change_nothing(
    evaluation, tree, other_evaluation_code, as_user, target, data, message
):
    client = as_user("process_leader")
    client.raise_request_exception = False
    named = {**tree, "other": other_evaluation_code}
    if "parent" in data and data["parent"] in named:
        data = {**data, "parent": named[data["parent"]].pk}
    before, events = snapshot(evaluation), AuditEvent.objects.count()
    response = client.post(edit_url(evaluation, tree[target]), data)
    assert response.status_code in (200, 302)
    assert any(message in m for m in messages_of(response)), messages_of(response)
    assert snapshot(evaluation) == before
    assert AuditEvent.objects.count() == events


def test_a_missing_theme_gives_a_message(evaluation, deidentified, tree, as_user):
    client = as_user("process_leader")
    before = snapshot(evaluation)
    for url in (
        reverse("analysis:code_edit", args=[evaluation.slug, 99999999]),
        reverse("analysis:code_delete", args=[evaluation.slug, 99999999]),
    ):
        response = client.post(url, {"name": "X", "text": deidentified.pk})
        assert response.status_code == 302 and "#code-tree" in response.url
        assert any("no longer exists" in m for m in messages_of(response))
    assert snapshot(evaluation) == before


def test_another_evaluations_theme_cannot_be_edited_from_here(
    evaluation, tree, other_evaluation_code, as_user
):
    response = as_user("process_leader").post(
        edit_url(evaluation, other_evaluation_code), {"name": "Kapret", "colour": "#1f5fa8"}
    )
    assert any("no longer exists" in m for m in messages_of(response))
    other_evaluation_code.refresh_from_db()
    assert (other_evaluation_code.name, other_evaluation_code.colour) == ("Fremmed", "")


def test_only_coders_edit_themes(evaluation, tree, as_user):
    for role in ("transcriber", "commissioner", "outsider"):
        client = as_user(role)
        client.raise_request_exception = False
        response = client.post(edit_url(evaluation, tree["Buss"]), {"name": "Kapret"})
        assert response.status_code in (403, 404), role
    assert Code.objects.get(pk=tree["Buss"].pk).name == "Buss"
    # A peer interviewer codes, so may edit themes too.
    as_user("peer_interviewer").post(edit_url(evaluation, tree["Buss"]), {"name": "Bussen"})
    assert Code.objects.get(pk=tree["Buss"].pk).name == "Bussen"


# Removing a theme


def test_an_emergent_theme_with_quotes_is_not_removed(
    evaluation, deidentified, tree, as_user, user
):
    code_quote(evaluation, deidentified, user, "Transport", "det tok lang tid")
    code_quote(evaluation, deidentified, user, "Transport", "for få folk")
    url = reverse("analysis:code_delete", args=[evaluation.slug, tree["Transport"].pk])
    response = as_user("process_leader").post(url)
    assert any("Quotes coded to the theme Transport: 2." in m for m in messages_of(response))
    assert Code.objects.filter(pk=tree["Transport"].pk).exists()


def test_an_emergent_theme_without_quotes_is_removed_and_its_sub_themes_move_up(
    evaluation, tree, as_user
):
    url = reverse("analysis:code_delete", args=[evaluation.slug, tree["Transport"].pk])
    response = as_user("process_leader").post(url)
    assert any("was removed" in m for m in messages_of(response))
    assert not Code.objects.filter(pk=tree["Transport"].pk).exists()
    assert Code.objects.get(pk=tree["Buss"].pk).parent_id is None
    assert AuditEvent.objects.filter(action="analysis.code.delete").count() == 1


def test_an_emergent_theme_with_a_memo_is_not_removed(evaluation, tree, as_user, user):
    actions.write_memo(user("process_leader"), evaluation, "Se på dette.", code=tree["Buss"])
    url = reverse("analysis:code_delete", args=[evaluation.slug, tree["Buss"].pk])
    response = as_user("process_leader").post(url)
    assert any("has memos" in m for m in messages_of(response))
    assert Code.objects.filter(pk=tree["Buss"].pk).exists()


def test_a_guide_theme_is_not_removed_here(evaluation, tree, as_user):
    url = reverse("analysis:code_delete", args=[evaluation.slug, tree["Tilgang"].pk])
    response = as_user("process_leader").post(url)
    assert any("removed in the theme guide" in m for m in messages_of(response))
    assert Code.objects.filter(pk=tree["Tilgang"].pk).exists()


def test_a_cycle_left_in_the_data_does_not_break_the_pages(evaluation, deidentified, tree, as_user):
    # Refused by edit_code, but a cycle written by other means must still show.
    Code.objects.filter(pk=tree["Transport"].pk).update(parent=tree["Buss"].pk)
    client = as_user("process_leader")
    assert client.get(text_url(evaluation, deidentified)).status_code == 200
    matrix = client.get(reverse("analysis:matrix", args=[evaluation.slug]), {"fold": "1"})
    assert matrix.status_code == 200


# 5. The demo


def test_the_demo_gives_emergent_themes_sub_themes_and_colours(db):
    from bsbstudio.demo.code_tree import SUB_THEMES, load_code_tree
    from bsbstudio.demo.loader import DATA_DIR, demo_user, load_file

    leader = demo_user("demo", "demo-password-1")
    load_file(DATA_DIR / "ambulant_team.yaml", leader)
    codes = Code.objects.filter(evaluation__slug="ambulant-team-lindvag-2026")
    children = codes.filter(parent__isnull=False, kind=Code.Kind.EMERGENT)
    assert children.count() >= 2
    assert all(c.parent.kind == Code.Kind.EMERGENT for c in children)
    assert codes.exclude(colour="").count() >= 3
    assert all(colours.in_palette(c.colour) for c in codes.exclude(colour=""))
    before = snapshot(codes.first().evaluation)
    load_code_tree(leader)
    assert snapshot(codes.first().evaluation) == before
    bus = CodedSegment.objects.filter(code__in=codes, code__name="Buss og skyss")
    assert bus.count() == 1 and "bussen går to ganger" in bus.get().quote
    assert bus.get().turn is not None and bus.get().site_id is not None
    assert SUB_THEMES

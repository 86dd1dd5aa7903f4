"""Forms without friction (issue 13): rows added, removed and reordered in one save; short names."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from bsbstudio.evaluations.models import Evaluation, Site
from bsbstudio.evaluations.short_names import short_name
from bsbstudio.guide.models import Theme


def url(name, evaluation, *args):
    return reverse(name, args=[evaluation.slug, *args])


def plan_data(evaluation, sites):
    """The plan page as posted: the commission unchanged, ``sites`` as (id, name, place, delete)."""
    data = {
        "name": evaluation.name,
        "slug": evaluation.slug,
        "replacement_mode": evaluation.replacement_mode,
        "sites-TOTAL_FORMS": str(len(sites)),
        "sites-INITIAL_FORMS": str(sum(1 for pk, *_ in sites if pk)),
    }
    for prefix in ("goals", "problems"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    for i, (pk, name, place, delete) in enumerate(sites):
        data |= {f"sites-{i}-name": name, f"sites-{i}-ORDER": place}
        if pk:
            data[f"sites-{i}-id"] = pk
        if delete:
            data[f"sites-{i}-DELETE"] = "on"
    return data


def site_names(evaluation):
    return list(evaluation.sites.order_by("order", "id").values_list("name", flat=True))


def theme_names(evaluation):
    return list(evaluation.themes.order_by("order", "id").values_list("name", flat=True))


@pytest.fixture
def leader(evaluation, client_as):
    return client_as("process_leader")


# --- Rows: several new, one removed, a new order, in one save -----------------------------------


def test_plan_saves_new_rows_a_removal_and_a_new_order_in_one_post(evaluation, leader):
    north, south = evaluation.sites.order_by("order")
    data = plan_data(
        evaluation,
        [
            (north.pk, "Nord", "4", False),
            (south.pk, "Sør", "", True),  # removed
            (None, "Vest", "1", False),
            (None, "Øst", "3", False),
            (None, "Sentrum", "2", False),
            (None, "", "5", False),  # a blank row the page numbered: not a site
        ],
    )
    response = leader.post(url("evaluations:plan", evaluation), data)
    assert response.status_code == 302
    assert site_names(evaluation) == ["Vest", "Sentrum", "Øst", "Nord"]
    assert list(evaluation.sites.order_by("order").values_list("order", flat=True)) == [0, 1, 2, 3]


def test_plan_rows_without_places_keep_their_order_and_new_ones_go_last(evaluation, leader):
    # Without the script the page sends the saved rows' places and none for the blank row.
    north, south = evaluation.sites.order_by("order")
    data = plan_data(
        evaluation,
        [(north.pk, "Nord", "1", False), (south.pk, "Sør", "2", False), (None, "Vest", "", False)],
    )
    assert leader.post(url("evaluations:plan", evaluation), data).status_code == 302
    assert site_names(evaluation) == ["Nord", "Sør", "Vest"]


def test_a_tampered_place_puts_the_row_last_rather_than_failing(evaluation, leader):
    north, south = evaluation.sites.order_by("order")
    data = plan_data(
        evaluation, [(north.pk, "Nord", "x'); drop", False), (south.pk, "Sør", "1", False)]
    )
    assert leader.post(url("evaluations:plan", evaluation), data).status_code == 302
    assert site_names(evaluation) == ["Sør", "Nord"]


def structure_data(evaluation, themes, groups=None):
    """The structure page as posted: ``themes`` as (id, name, parent id, place, delete)."""
    groups = groups if groups is not None else list(evaluation.informant_groups.order_by("order"))
    data = {
        "themes-TOTAL_FORMS": str(len(themes)),
        "themes-INITIAL_FORMS": str(sum(1 for pk, *_ in themes if pk)),
        "groups-TOTAL_FORMS": str(len(groups)),
        "groups-INITIAL_FORMS": str(len(groups)),
    }
    for i, (pk, name, parent, place, delete) in enumerate(themes):
        data |= {f"themes-{i}-name": name, f"themes-{i}-ORDER": place}
        data |= {f"themes-{i}-parent": parent or "", f"themes-{i}-description": ""}
        if pk:
            data[f"themes-{i}-id"] = pk
        if delete:
            data[f"themes-{i}-DELETE"] = "on"
    for i, group in enumerate(groups):
        data |= {f"groups-{i}-id": group.pk, f"groups-{i}-code": group.code}
        data |= {f"groups-{i}-name": group.name, f"groups-{i}-ORDER": str(len(groups) - i)}
    return data


def test_structure_saves_new_themes_a_removal_and_a_new_order_in_one_post(evaluation, leader):
    access = evaluation.themes.get(name="Tilgang")
    respect = evaluation.themes.get(name="Å bli møtt")
    data = structure_data(
        evaluation,
        [
            (access.pk, "Tilgang", None, "3", False),
            (respect.pk, "Å bli møtt", None, "", True),  # removed
            (None, "Bolig", None, "1", False),
            (None, "Arbeid", None, "2", False),
            (None, "Fritid", None, "4", False),
        ],
    )
    response = leader.post(url("guide:structure", evaluation), data)
    assert response.status_code == 302
    assert theme_names(evaluation) == ["Bolig", "Arbeid", "Tilgang", "Fritid"]
    # The groups came in reverse places: their order is reversed too.
    assert list(evaluation.informant_groups.order_by("order").values_list("code", flat=True)) == [
        "A",
        "B",
    ]
    assert evaluation.codes.filter(name="Fritid", kind="guide").exists()


def test_a_sub_theme_stays_right_below_its_main_theme_whatever_order_is_sent(evaluation, leader):
    access = evaluation.themes.get(name="Tilgang")
    respect = evaluation.themes.get(name="Å bli møtt")
    waiting = Theme.objects.create(evaluation=evaluation, name="Ventetid", parent=access, order=2)
    # The page sends the sub-theme last and the main themes swapped.
    data = structure_data(
        evaluation,
        [
            (access.pk, "Tilgang", None, "2", False),
            (respect.pk, "Å bli møtt", None, "1", False),
            (waiting.pk, "Ventetid", access.pk, "3", False),
            (None, "Ny", None, "", False),
        ],
    )
    assert leader.post(url("guide:structure", evaluation), data).status_code == 302
    assert theme_names(evaluation) == ["Å bli møtt", "Tilgang", "Ventetid", "Ny"]


@pytest.mark.parametrize("page", ["evaluations:plan", "guide:structure"])
@pytest.mark.parametrize("damage", ["missing", "tampered"])
def test_a_missing_or_tampered_management_form_gives_a_message_and_changes_nothing(
    evaluation, leader, page, damage
):
    if page == "evaluations:plan":
        data = plan_data(evaluation, [(None, "Vest", "1", False)])
        prefixes = ("sites", "goals", "problems")
    else:
        data = structure_data(evaluation, [(None, "Bolig", None, "1", False)])
        prefixes = ("themes", "groups")
    data["name"] = "Endret"
    for prefix in prefixes:
        if damage == "missing":
            del data[f"{prefix}-TOTAL_FORMS"]
        else:
            data[f"{prefix}-TOTAL_FORMS"] = "tre"
    response = leader.post(url(page, evaluation), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Siden kom tilbake ufullstendig, så ingenting ble lagret." in text
    assert "ManagementForm" not in text
    evaluation.refresh_from_db()
    assert evaluation.name == "Testevaluering"
    assert site_names(evaluation) == ["Nord", "Sør"]
    assert theme_names(evaluation) == ["Tilgang", "Å bli møtt"]


# --- A new row in place (htmx) ------------------------------------------------------------------


def test_a_new_row_comes_with_the_next_index_and_a_higher_count(evaluation, leader):
    response = leader.get(
        url("evaluations:plan_row", evaluation, "sites"), {"sites-TOTAL_FORMS": "3"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="sites-3-name"' in html
    assert 'name="sites-2-name"' not in html
    assert re.search(r'name="sites-TOTAL_FORMS" value="4"[^>]*hx-swap-oob="true"', html)
    assert "Flytt opp" in html and "Fjern" in html


def test_a_new_theme_row_offers_the_main_themes_as_parents(evaluation, leader):
    response = leader.get(
        url("guide:structure_row", evaluation, "themes"), {"themes-TOTAL_FORMS": "2"}
    )
    html = response.content.decode()
    assert 'name="themes-2-parent"' in html and "Tilgang" in html


@pytest.mark.parametrize("count", ["", "x", "-1", "9" * 30])
def test_a_bad_row_count_is_refused_plainly(evaluation, leader, count):
    response = leader.get(
        url("evaluations:plan_row", evaluation, "sites"), {"sites-TOTAL_FORMS": count}
    )
    assert response.status_code == 400


def test_no_row_past_the_limit(evaluation, leader):
    response = leader.get(
        url("evaluations:plan_row", evaluation, "goals"), {"goals-TOTAL_FORMS": "100"}
    )
    assert "goals-100" not in response.content.decode()
    assert "Det er plass til høyst 100 rader." in response.content.decode()


@pytest.mark.parametrize(("role", "status"), [("peer_interviewer", 403), ("outsider", 404)])
@pytest.mark.parametrize(
    ("page", "prefix"), [("evaluations:plan_row", "sites"), ("guide:structure_row", "themes")]
)
def test_only_editors_get_new_rows(evaluation, client_as, role, status, page, prefix):
    response = client_as(role).get(url(page, evaluation, prefix), {f"{prefix}-TOTAL_FORMS": "1"})
    assert response.status_code == status


def test_an_unknown_table_is_not_found(evaluation, leader):
    assert leader.get(url("evaluations:plan_row", evaluation, "themes")).status_code == 404


def test_pages_carry_the_row_tools_and_no_typed_order(evaluation, leader):
    for page in ("evaluations:plan", "guide:structure"):
        html = leader.get(url(page, evaluation)).content.decode()
        assert "web/rows.js" in html
        assert "Legg til rad" in html and "Flytt ned" in html
        assert not re.search(r'<input type="number" name="\w+-\d+-order"', html)
        assert 'type="hidden" name="sites-0-ORDER" value="1"' in html or page != "evaluations:plan"


def test_readers_get_no_row_tools(evaluation, client_as):
    html = client_as("peer_interviewer").get(url("evaluations:plan", evaluation)).content.decode()
    assert "web/rows.js" not in html and "Flytt opp" not in html


# --- The short name -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Bærum psykiatritjeneste", "baerum-psykiatritjeneste"),
        ("Sør-Øst på Ålgård", "sor-ost-pa-algard"),
        ("Grünerløkka  2026!", "grunerlokka-2026"),
        ("ÆØÅ_test", "aeoa-test"),
        ("  --  ", ""),
    ],
)
def test_short_name_transliterates_norwegian_letters(name, expected):
    assert short_name(name) == expected


@pytest.fixture
def admin_client(db, make_user, verified_client):
    from bsbstudio.accounts.members import set_org_admin

    user = make_user("starter")
    set_org_admin(None, user, True)
    return verified_client(user, Client())


def create(client, **data):
    return client.post(reverse("evaluations:create"), {"replacement_mode": "placeholder", **data})


def test_a_short_name_left_empty_is_made_from_the_name(admin_client):
    response = create(admin_client, name="Ambulant team Sør-Øst", slug="")
    assert response.status_code == 302
    assert Evaluation.objects.get(name="Ambulant team Sør-Øst").slug == "ambulant-team-sor-ost"


def test_a_short_name_made_from_a_taken_name_gets_a_number(admin_client, evaluation):
    assert create(admin_client, name="Test", slug="").status_code == 302
    assert Evaluation.objects.get(name="Test").slug == "test-2"


def test_a_typed_short_name_is_tidied(admin_client):
    assert create(admin_client, name="Ny", slug="Min Evaluering").status_code == 302
    assert Evaluation.objects.filter(slug="min-evaluering").exists()


def test_a_taken_short_name_is_refused_with_a_free_one_suggested(admin_client, evaluation):
    response = create(admin_client, name="Ny", slug="test")
    assert response.status_code == 200
    text = response.content.decode()
    assert (
        "En annen evaluering bruker allerede kortnavnet «test». Velg et annet, for eksempel «test-2»."
        in text
    )
    assert Evaluation.objects.count() == 1


def test_the_plan_keeps_the_short_name_when_it_is_emptied(evaluation, leader):
    data = plan_data(evaluation, []) | {"slug": "", "name": "Nytt navn"}
    assert leader.post(url("evaluations:plan", evaluation), data).status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.name, evaluation.slug) == ("Nytt navn", "test")


def test_the_create_form_explains_the_short_name_and_follows_the_name(admin_client):
    html = admin_client.get(reverse("evaluations:create")).content.decode()
    assert "Kortnavnet brukes i nettadressen til evalueringen." in html
    assert "Bare små bokstaver, tall og bindestrek." in html
    assert 'data-short-name-from="id_name"' in html and "web/short-name.js" in html


class VisibleText(HTMLParser):
    """The words a person can see or hear on a page: text and the attributes read aloud."""

    SPOKEN = {"title", "alt", "placeholder", "aria-label", "value"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        hidden_input = tag == "input" and ("type", "hidden") in attrs
        for name, value in attrs:
            if name in self.SPOKEN and value and not hidden_input:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def test_the_word_slug_is_on_no_page(evaluation, leader, admin_client):
    Evaluation.objects.create(name="Annen", slug="annen")
    pages = [
        admin_client.get(reverse("evaluations:create")),
        create(admin_client, name="Ny", slug="!!!"),  # no letters: refused
        create(admin_client, name="Ny", slug="annen"),  # taken: refused
        leader.get(url("evaluations:plan", evaluation)),
        leader.post(url("evaluations:plan", evaluation), plan_data(evaluation, []) | {"slug": "?"}),
        leader.post(
            url("evaluations:plan", evaluation), plan_data(evaluation, []) | {"slug": "annen"}
        ),
        leader.get(url("evaluations:next_round", evaluation)),
        leader.post(url("evaluations:next_round", evaluation), {"name": "R2", "slug": "%%"}),
        leader.get(url("guide:structure", evaluation)),
    ]
    shown = []
    for response in pages:
        assert response.status_code == 200
        shown.append(visible(response.content.decode()))
    assert "Skriv kortnavnet med bokstaver eller tall." in shown[1]
    assert not [text for text in shown if "slug" in text.lower()]
    assert Evaluation.objects.filter(slug="annen").count() == 1
    assert site_names(evaluation) == ["Nord", "Sør"]
    assert Site.objects.filter(evaluation=evaluation).count() == 2

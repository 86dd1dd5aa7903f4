"""The cross-site comparison: sums in the page and the workbook, refused input, who may see it."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.cli.main import main
from bsbstudio.conference.models import DialogueConference, ParticipantCount
from bsbstudio.fieldwork.models import Informant, Interview
from bsbstudio.reports import cross_site
from bsbstudio.reports.models import SiteFact, SiteRating

from .conftest import url


@pytest.fixture
def filled(evaluation, quotes, user):
    """Two sites with interviews, informants, conference counts, ratings and facts."""
    leader = user("process_leader")
    north, south = evaluation.sites.order_by("order")
    staff = evaluation.informant_groups.get(code="A")
    Interview.objects.create(evaluation=evaluation, code="I1", kind="individual", site=south)
    Interview.objects.create(
        evaluation=evaluation, code="X", kind="individual", site=south, status="cancelled"
    )
    Informant.objects.create(evaluation=evaluation, code="A-02", group=staff, site=south)
    for site, users, staff_n in ((north, 12, 4), (south, 7, 3), (None, 5, 0)):
        conference = DialogueConference.objects.create(
            evaluation=evaluation, site=site, title="Konferanse", date=datetime.date(2026, 5, 1)
        )
        ParticipantCount.objects.create(conference=conference, role="users", count=users)
        if staff_n:
            ParticipantCount.objects.create(conference=conference, role="staff", count=staff_n)
    with translation.override("en"):  # the scale is made in the language active at first use
        housing = cross_site.add_area(leader, evaluation, "Bolig")
    activities = cross_site.add_area(leader, evaluation, "Aktiviteter")
    cross_site.save_site_ratings(
        leader,
        north,
        {
            housing.pk: ("profiled", "Plan for Nord", "12"),
            activities.pk: ("little profiled", "Plan for Nord", ""),
        },
    )
    cross_site.save_site_ratings(leader, south, {housing.pk: ("profiled", "Årsmelding", "3")})
    places = cross_site.add_indicator(leader, evaluation, "Boliger", "per 1000", "SSB", "2025")
    staffing = cross_site.add_indicator(leader, evaluation, "Årsverk", "", "", "")
    cross_site.save_site_facts(
        leader,
        evaluation,
        {(places.pk, north.pk): "2,5", (places.pk, south.pk): "4", (staffing.pk, north.pk): "10"},
    )
    return evaluation


def _sheets(content: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book}


def _row(rows, label):
    return next(r for r in rows if r[0] == label)


def test_the_workbook_has_one_sheet_per_table_with_numbers_and_sums(filled, as_user):
    response = as_user("process_leader").get(url("reports:cross_site_xlsx", filled))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheets = _sheets(response.content)
    assert list(sheets) == [
        "Interviews",
        "Informants",
        "Conferences",
        "Quotes per theme",
        "Polarity",
        "Areas",
        "Site facts",
    ]
    interviews = sheets["Interviews"]
    assert interviews[0] == ("Site", "Focus group", "Individual interview", "Total")
    # FG1 and FG2 in Nord (the quotes fixture), I1 in Sør; the cancelled one is not counted.
    assert _row(interviews, "Nord")[1:] == (2, 0, 2)
    assert _row(interviews, "Sør")[1:] == (0, 1, 1)
    assert _row(interviews, "Sum")[1:] == (2, 1, 3)
    assert all(isinstance(v, int) for v in _row(interviews, "Sum")[1:])
    informants = sheets["Informants"]
    assert informants[0] == ("Site", "Brukere", "Ansatte", "Total")
    assert _row(informants, "Sum")[1:] == (1, 2, 3)
    conference = sheets["Conferences"]
    assert _row(conference, "Across sites")[1:4] == (5, 0, 0)
    assert _row(conference, "Sum")[1] == 24 and _row(conference, "Sum")[-1] == 31
    # Only the quote from the approved text counts.
    assert _row(sheets["Quotes per theme"], "Tilgang")[1:] == (1, 0, 1)
    assert _row(sheets["Polarity"], "Nord")[1:] == (1, 0, 0, 1)
    areas = sheets["Areas"]
    assert areas[0] == ("Site", "Bolig", "Aktiviteter")
    assert _row(areas, "Nord")[1:] == ("profiled", "little profiled")
    assert _row(areas, "Sør")[1:] == ("profiled", None)
    assert _row(areas, "Number of sites: profiled")[1:] == (2, 0)
    assert _row(areas, "Number of sites: little profiled")[1:] == (0, 1)
    facts = sheets["Site facts"]
    assert facts[0] == ("Site", "Boliger (per 1000)", "Årsverk")
    assert _row(facts, "Nord")[1:] == (2.5, 10)
    assert _row(facts, "Sum")[1:] == (6.5, 10)
    assert _row(facts, "Average")[1:] == (3.25, 10)
    assert isinstance(_row(facts, "Sum")[1], float)
    assert AuditEvent.objects.filter(action="cross_site.export").count() == 1


def test_the_page_shows_the_tables_heat_map_and_chart(filled, as_user):
    html = as_user("process_leader").get(url("reports:cross_site", filled)).content.decode()
    assert "Interviews per site" in html
    assert "Dialogue-conference participants per site and role" in html
    assert 'class="cell heat-5"' in html  # the fullest cell of the heat map
    assert "<svg" in html and 'fill="#1f4e79"' in html
    assert "Number of sites: profiled" in html
    assert "3,25" in html or "3.25" in html


def test_the_page_speaks_norwegian(filled, as_user):
    html = as_user("process_leader", "nb").get(url("reports:cross_site", filled)).content.decode()
    assert "Sammenligning av stedene" in html
    assert "Intervjuer per sted" in html
    assert "Antall steder: profiled" in html  # the scale was made in English by the fixture


def test_a_rating_outside_the_scale_is_refused_and_nothing_is_saved(filled, as_user):
    north = filled.sites.get(name="Nord")
    housing = filled.rating_areas.get(name="Bolig")
    before = list(SiteRating.objects.order_by("pk").values_list("pk", "value_id", "page"))
    response = as_user("process_leader").post(
        url("reports:cross_site_ratings", filled, north.pk),
        {f"value_{housing.pk}": "excellent", f"page_{housing.pk}": "4"},
        follow=True,
    )
    assert response.status_code == 200
    assert "“excellent” is not on the scale (profiled, little profiled, not assessed)" in (
        response.content.decode()
    )
    assert list(SiteRating.objects.order_by("pk").values_list("pk", "value_id", "page")) == before


def test_a_page_that_is_not_a_number_is_refused(filled, user):
    north = filled.sites.get(name="Nord")
    housing = filled.rating_areas.get(name="Bolig")
    with pytest.raises(cross_site.CrossSiteRefused) as refused:
        cross_site.save_site_ratings(
            user("process_leader"), north, {housing.pk: ("profiled", "Plan", "tolv")}
        )
    assert refused.value.code == "bad_page"


def test_text_in_a_numeric_fact_is_refused_and_nothing_is_saved(filled, as_user):
    places = filled.site_indicators.get(name="Boliger")
    north, south = filled.sites.order_by("order")
    before = list(SiteFact.objects.order_by("pk").values_list("pk", "value"))
    response = as_user("process_leader").post(
        url("reports:cross_site_facts", filled),
        {f"fact_{places.pk}_{north.pk}": "7", f"fact_{places.pk}_{south.pk}": "mange"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sør, Boliger: “mange” is not a number" in html
    assert 'value="mange"' in html  # what was typed is shown again to be corrected
    assert list(SiteFact.objects.order_by("pk").values_list("pk", "value")) == before


def test_a_fact_in_norwegian_notation_is_stored_as_a_number(filled, user):
    places = filled.site_indicators.get(name="Boliger")
    north = filled.sites.get(name="Nord")
    cross_site.save_site_facts(user("process_leader"), filled, {(places.pk, north.pk): "1 234,5"})
    assert SiteFact.objects.get(indicator=places, site=north).value == Decimal("1234.5")
    assert AuditEvent.objects.filter(action="cross_site.facts.save").count() == 2


def test_every_edit_is_audited(filled):
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "cross_site.scale.create",
        "cross_site.area.add",
        "cross_site.ratings.save",
        "cross_site.indicator.add",
        "cross_site.facts.save",
    } <= actions


@pytest.mark.parametrize(
    "name, args",
    [
        ("reports:cross_site", ()),
        ("reports:cross_site_xlsx", ()),
        ("reports:cross_site_areas", ()),
        ("reports:cross_site_facts", ()),
        ("reports:export_matrix", ()),
        ("reports:export_quotes", ()),
        ("reports:export_review", ()),
    ],
)
def test_a_commissioner_is_refused(filled, as_user, name, args):
    response = as_user("commissioner").get(url(name, filled, *args))
    assert response.status_code == 403
    assert b"Bolig" not in response.content


def test_the_transcriber_cannot_edit_ratings(filled, as_user):
    north = filled.sites.get(name="Nord")
    response = as_user("transcriber").post(
        url("reports:cross_site_ratings", filled, north.pk), {"value_1": "profiled"}
    )
    assert response.status_code == 403


def test_the_command_line_writes_the_same_workbook(filled, as_user, tmp_path, capsys):
    out = tmp_path / "tables.xlsx"
    assert main(["report", "cross-site", filled.slug, "--out", str(out)]) == 0
    downloaded = as_user("process_leader", "nb").get(url("reports:cross_site_xlsx", filled))
    downloaded = downloaded.content
    assert _sheets(out.read_bytes()) == _sheets(downloaded)
    event = AuditEvent.objects.filter(action="cross_site.export").order_by("seq").first()
    assert event.user is None


def test_the_command_line_names_an_unknown_evaluation(db, tmp_path, capsys):
    out = tmp_path / "tables.xlsx"
    assert main(["report", "cross-site", "nope", "--out", str(out)]) == 4
    assert "nope" in capsys.readouterr().err
    assert not out.exists()


def test_the_areas_page_adds_refuses_a_duplicate_and_deletes(filled, as_user):
    leader = as_user("process_leader")
    page = url("reports:cross_site_areas", filled)
    response = leader.post(page, {"add_area": "1", "name": "  Individuell   plan "}, follow=True)
    assert "The area was added." in response.content.decode()
    assert filled.rating_areas.filter(name="Individuell plan").exists()
    response = leader.post(page, {"add_area": "1", "name": "bolig"}, follow=True)
    assert "bolig is already in the list." in response.content.decode()
    assert filled.rating_areas.count() == 3
    response = leader.post(page, {"add_area": "1", "name": "   "}, follow=True)
    assert "Write a name." in response.content.decode()
    housing = filled.rating_areas.get(name="Bolig")
    leader.post(page, {"delete_area": str(housing.pk)})
    assert not SiteRating.objects.filter(area_id=housing.pk).exists()
    assert AuditEvent.objects.get(action="cross_site.area.delete").detail["ratings"] == 2
    assert leader.post(page, {"delete_area": "x"}).status_code == 404


def test_a_control_character_is_taken_out_and_an_overlong_name_refused(filled, as_user):
    leader = as_user("process_leader")
    page = url("reports:cross_site_areas", filled)
    leader.post(page, {"add_area": "1", "name": "Aktivi\x00teter"})
    assert filled.rating_areas.filter(name="Aktiviteter").exists()  # PostgreSQL refuses NUL
    before = filled.rating_areas.count()
    response = leader.post(page, {"add_area": "1", "name": "x" * 5000}, follow=True)
    assert "is too long: at most 100 characters" in response.content.decode()
    assert filled.rating_areas.count() == before


def test_the_facts_page_adds_an_indicator_and_refuses_a_bad_year(filled, as_user):
    leader = as_user("process_leader")
    page = url("reports:cross_site_facts", filled)
    response = leader.post(
        page, {"add_indicator": "1", "name": "Plasser", "year": "tjue"}, follow=True
    )
    assert "The year must be a whole number such as 2026, not “tjue”." in (
        response.content.decode()
    )
    assert not filled.site_indicators.filter(name="Plasser").exists()
    leader.post(page, {"add_indicator": "1", "name": "Plasser", "unit": "antall", "year": "2025"})
    html = leader.get(page).content.decode()
    assert "Plasser" in html
    assert 'value="2.5"' in html  # the stored fact, written as in English


def test_the_ratings_page_shows_the_site_s_categories_and_sources(filled, as_user):
    north = filled.sites.get(name="Nord")
    html = as_user("process_leader").get(url("reports:cross_site_ratings", filled, north.pk))
    html = html.content.decode()
    assert '<option value="profiled" selected>profiled</option>' in html
    assert 'value="Plan for Nord"' in html and 'value="12"' in html

"""The leak guard covers every label: places, addresses and ages block, other details warn."""

from __future__ import annotations

import pytest
from django.utils import translation

from bsbstudio.deid import leak_guard
from bsbstudio.deid.models import ProtectedTerm
from bsbstudio.evaluations.models import Site
from bsbstudio.reports.models import Report

from .conftest import url
from .test_approval import approve, write


def labels(findings):
    return {(f.text, f.label) for f in findings}


@pytest.mark.parametrize(
    "text, found",
    [
        ("Han er 34 år", ("34", "AGE")),
        ("Jeg bor i Tromsø", ("Tromsø", "LOCATION")),
        ("Ring 91 23 45 67", ("91 23 45 67", "PHONE")),
    ],
)
def test_places_addresses_and_ages_block_like_direct_identifiers(evaluation, text, found):
    review = leak_guard.review(evaluation, [text], [])
    assert found in labels(review.blocking)
    assert all(f.blocking for f in review.blocking)
    assert leak_guard.unreviewed(evaluation, [text], []) == review.blocking


def test_an_address_blocks(evaluation):
    blocking = leak_guard.unreviewed(evaluation, ["Jeg bor i Storgata 5 i byen"], [])
    assert any(f.label == "LOCATION" and f.text.startswith("Storgata 5") for f in blocking)


def test_dates_and_organisations_are_warnings_that_do_not_block(evaluation):
    review = leak_guard.review(evaluation, ["I 2023 fikk jeg hjelp fra NAV Sentrum"], [])
    assert review.blocking == []
    assert {f.label for f in review.warnings} >= {"DATE", "ORGANIZATION"}
    assert not any(f.blocking for f in review.warnings)
    with translation.override("en"):
        assert {f.kind for f in review.warnings} >= {"Date", "Organisation or service"}


def test_a_site_name_of_the_plan_is_no_finding_unless_the_team_hides_it(evaluation):
    text = "Rapport for Nord, Oslo"
    assert labels(leak_guard.unreviewed(evaluation, [text], [])) == {("Oslo", "LOCATION")}
    evaluation.commissioner = "Tromsø kommune"
    evaluation.save()
    assert leak_guard.unreviewed(evaluation, ["Mange flytter til Tromsø."], []) == []
    theme = evaluation.themes.get(name="Tilgang")  # the NER model reads it as a place
    assert leak_guard.scan(evaluation, [theme.name]) == []
    ProtectedTerm.objects.create(evaluation=evaluation, text="Nord", kind="LOCATION")
    assert ("Nord", "LOCATION") in labels(leak_guard.unreviewed(evaluation, [text], []))


def test_a_site_and_a_year_is_no_address_but_a_house_number_is(evaluation):
    Site.objects.create(evaluation=evaluation, name="Kvernhaugen", order=2)
    plan = "Virksomhetsplan Kvernhaugen 2025"
    assert leak_guard.unreviewed(evaluation, [plan], []) == []
    address = "Hun bor i Kvernhaugen 12"
    assert ("Kvernhaugen 12", "LOCATION") in labels(
        leak_guard.unreviewed(evaluation, [address], [])
    )


def test_a_place_in_the_report_blocks_approval_until_checked(evaluation, report, as_user):
    leader = as_user("process_leader")
    write(leader, evaluation, report, "Mange flytter til Tromsø.")
    page = leader.get(url("reports:review_leaks", evaluation, report.pk)).content.decode()
    assert "Tromsø" in page and "Place or address" in page
    approve(leader, evaluation, report)
    report.refresh_from_db()
    assert report.state == Report.State.DRAFT


def test_review_page_shows_warnings_and_still_lets_the_report_out(evaluation, report, as_user):
    leader = as_user("process_leader")
    write(leader, evaluation, report, "Siden 2023 har ventetiden gått ned.")
    page = leader.get(url("reports:review_leaks", evaluation, report.pk)).content.decode()
    assert "Nothing in the report needs to be checked." in page
    assert "Worth a look" in page and "2023" in page and "Date" in page
    assert url("reports:download", evaluation, report.pk) in page
    approve(leader, evaluation, report)
    report.refresh_from_db()
    assert report.state == Report.State.APPROVED


def test_words_inside_a_theme_name_are_no_name_unless_the_team_hides_them(evaluation):
    theme = evaluation.themes.get(name="Tilgang")
    theme.name = "Samarbeid med andre tjenester"
    theme.save()
    text = "Tema: Samarbeid med andre tjenester. Kari Nordmann ringte."
    found = labels(leak_guard.unreviewed(evaluation, [text], []))
    assert ("Kari Nordmann", "PERSON") in found
    assert not any("Samarbeid" in value for value, _label in found)
    ProtectedTerm.objects.create(evaluation=evaluation, text="Samarbeid", kind="PERSON")
    assert leak_guard.theme_phrases(evaluation).pattern.count("Samarbeid") == 0

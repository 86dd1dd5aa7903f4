"""The Storhavn demo has a filled cross-site comparison, and loading it twice changes nothing."""

from __future__ import annotations

import io

import openpyxl

from bsbstudio.demo.cross_site import load_cross_site
from bsbstudio.demo.loader import DATA_DIR, demo_user, load_file
from bsbstudio.reports.cross_site import comparison, export_xlsx
from bsbstudio.reports.exports import COMMAND_LINE
from bsbstudio.reports.models import SiteFact, SiteRating


def test_storhavn_has_five_districts_rated_on_six_areas_and_two_facts(db):
    leader = demo_user("demo", "demo-passord-123")
    name, _created = load_file(DATA_DIR / "districts.yaml", leader)
    evaluation = leader.memberships.get(evaluation__name=name).evaluation
    assert SiteRating.objects.filter(area__evaluation=evaluation).count() == 5 * 6
    assert SiteFact.objects.filter(indicator__evaluation=evaluation).count() == 2 * 5
    tables = comparison(evaluation)
    assert len(tables.interviews.rows) == 5
    assert tables.interviews.footer[0].values[-1] > 0
    profiled = tables.ratings.footer[0].values
    assert sum(profiled) == 18  # the "p" letters in data/cross_site.yaml
    book = openpyxl.load_workbook(io.BytesIO(export_xlsx(COMMAND_LINE, evaluation)))
    facts = list(book.worksheets[-1].iter_rows(values_only=True))
    assert facts[6][1:] == (10.2, 49)  # sums: 3.4+1.9+2.6+0.8+1.5 and 14+11.5+9+6.5+8
    load_cross_site(leader)
    assert SiteRating.objects.filter(area__evaluation=evaluation).count() == 30

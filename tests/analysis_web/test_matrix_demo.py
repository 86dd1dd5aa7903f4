"""The demo shows the matrix with both sites coded, once, whatever how often it is loaded."""

from __future__ import annotations

from django.urls import reverse

from bsbstudio.analysis.models import CodedSegment, NothingSaid
from bsbstudio.demo.loader import DATA_DIR, demo_user, load_file
from bsbstudio.demo.matrix import SLUG, load_matrix


def test_demo_matrix_has_quotes_from_both_sites_and_loads_once(db, verified_client):
    leader = demo_user("demo", "demo-password-1")
    load_file(DATA_DIR / "ambulant_team.yaml", leader)
    quotes = CodedSegment.objects.filter(code__evaluation__slug=SLUG)
    ytre = quotes.filter(site__name="Vardeteamet Ytre").count()
    assert ytre >= 15  # 6 from the evaluation's own coding, the rest from demo/matrix.py
    before = quotes.count()
    load_matrix(leader)
    assert quotes.count() == before
    assert not quotes.filter(turn=None).exists()
    client = verified_client(leader)
    html = client.get(reverse("analysis:matrix", args=[SLUG]), {"column": "site"}).content.decode()
    assert "Vardeteamet Ytre" in html
    assert "ingen kritiske sitater" in html or "no critical quotes" in html


def test_the_demo_shows_a_cell_never_asked_and_one_where_nothing_was_said(db, verified_client):
    """Lindvåg's guide asks pårørende nothing about medvirkning: "ikke spurt", not 0."""
    leader = demo_user("demo", "demo-password-1")
    load_file(DATA_DIR / "ambulant_team.yaml", leader)
    page = verified_client(leader).get(reverse("analysis:matrix", args=[SLUG]))
    row = page.content.decode().split("Medvirkning</th>", 1)[1].split("</tr>", 1)[0]
    brukere, parorende, ansatte = row.split("<td")[1:4]
    assert '<span class="not-asked">ikke spurt</span>' in parorende
    assert "ikke spurt" not in brukere + ansatte
    # The staff were asked and the team found nothing said: their mark, once however often loaded.
    assert ">ingenting sagt<" in ansatte and "nothing-said-cell" in ansatte
    load_matrix(leader)
    assert NothingSaid.objects.filter(code__evaluation__slug=SLUG).count() == 1

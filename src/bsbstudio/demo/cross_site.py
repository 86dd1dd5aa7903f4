"""Demo cross-site comparison: the Storhavn districts rated on six areas, with two site facts.

Read from ``data/cross_site.yaml`` and made through the real actions. Idempotent: an evaluation
that already has rating areas is left as it is.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction

from bsbstudio.evaluations.models import Evaluation
from bsbstudio.reports import cross_site

DATA = Path(__file__).parent / "data" / "cross_site.yaml"


def load_cross_site(leader) -> None:
    """Add the areas, ratings and site facts to the Storhavn evaluation, once."""
    spec = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    evaluation = Evaluation.objects.filter(slug=spec["evaluation"]).first()
    if evaluation is None or evaluation.rating_areas.exists():
        return
    with transaction.atomic():
        areas = [cross_site.add_area(leader, evaluation, name) for name in spec["areas"]]
        # Letters in the file stand for the scale's categories, in order (made with the areas).
        scale = [v.name for v in evaluation.rating_scale.order_by("order", "pk")]
        letters = dict(zip("pli", scale, strict=True))
        sites = {site.name: site for site in evaluation.sites.all()}
        for name, rating in spec["ratings"].items():
            cross_site.save_site_ratings(
                leader,
                sites[name],
                {
                    area.pk: (letters[letter], rating["document"], str(rating["page"]))
                    for area, letter in zip(areas, rating["values"], strict=True)
                },
            )
        for item in spec["indicators"]:
            indicator = cross_site.add_indicator(
                leader, evaluation, item["name"], item["unit"], item["source"], str(item["year"])
            )
            cross_site.save_site_facts(
                leader,
                evaluation,
                {(indicator.pk, sites[name].pk): value for name, value in item["values"].items()},
            )

"""Sampling seen from the database: criteria progress and skew findings for pages and dashboard.

The rules live in ``engine.sampling`` (plain Python). This module turns an evaluation's rows into
the engine's records and the engine's findings into translated sentences.

For the dashboard: ``skew_summary(evaluation) -> list[SkewFinding]``; each finding has
``severity`` ("warning" or "info"), ``kind``, ``params`` and ``message`` (translated into the
active language when read).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext, ngettext

from .engine import sampling as engine
from .forms import choice_label
from .models import Consent, SamplingCriterion, SiteGroupPlan

WARNING = engine.WARNING
INFO = engine.INFO

_MESSAGES = {
    "no_informants": lambda p: gettext("No informants are registered yet."),
    "criterion_short": lambda p: (
        gettext("Criterion “%(criterion)s” at %(achieved)d of %(target)d.") % p
    ),
    "criterion_short_per_site": lambda p: (
        gettext("Criterion “%(criterion)s” at every site: %(sites)s.")
        % {**p, "sites": _short_sites(p["sites"], p["target"])}
    ),
    "site_missing": lambda p: gettext("No informants from site %(site)s.") % p,
    "group_below_plan": lambda p: (
        gettext(
            "Only %(percent)d %% of the informants are in the group %(group)s (%(count)d of "
            "%(total)d); the targets expect about %(expected)d %%."
        )
        % p
    ),
    "group_far_below": lambda p: (
        ngettext(
            "The group %(group)s has %(count)d informant, far fewer than %(largest_group)s "
            "(%(largest)d).",
            "The group %(group)s has %(count)d informants, far fewer than %(largest_group)s "
            "(%(largest)d).",
            p["count"],
        )
        % p
    ),
    "group_missing": lambda p: gettext("No informants in group %(group)s.") % p,
    "dominant_value": lambda p: (
        gettext("%(attribute)s: %(percent)d %% %(value)s (%(count)d of %(total)d informants).") % p
    ),
    "withdrawn": lambda p: (
        ngettext(
            "%(count)d informant withdrew from every interview and is not counted.",
            "%(count)d informants withdrew from every interview and are not counted.",
            p["count"],
        )
        % p
    ),
}


def _short_sites(sites, target: int) -> str:
    """Sites below a per-site target as "Nord 0 of 2, Sør 1 of 2" (or: no sites are set up)."""
    if not sites:
        return gettext("no sites are set up")
    return ", ".join(
        gettext("%(site)s %(count)d of %(target)d") % {"site": site, "count": n, "target": target}
        for site, n in sites
    )


def attribute_label(attribute: str) -> str:
    """The translated name of a sampling attribute, e.g. "Gender"."""
    try:
        return str(SamplingCriterion.Attribute(attribute).label)
    except ValueError:
        return attribute


def criterion_text(attribute: str, value: str, per_site: bool = False) -> str:
    """A criterion as people read it: "Gender = Woman" ("…, at every site")."""
    text = f"{attribute_label(attribute)} = {choice_label(attribute, value)}"
    return gettext("%(criterion)s, at every site") % {"criterion": text} if per_site else text


@dataclass(frozen=True)
class SkewFinding:
    """A finding about the sample, ready to show: ``message`` is translated when read."""

    kind: str
    severity: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The finding as a sentence in the active language."""
        params = dict(self.params)
        if "attribute" in params:
            if "value" in params:
                params["criterion"] = criterion_text(params["attribute"], params["value"])
                params["value"] = choice_label(params["attribute"], params["value"])
            params["attribute"] = attribute_label(params["attribute"])
        return _MESSAGES[self.kind](params)

    def __str__(self) -> str:
        return self.message


def informant_records(evaluation) -> list[engine.InformantRecord]:
    """The evaluation's informants as the engine's records (two queries)."""
    withdrawn: dict[int, list[bool]] = defaultdict(list)
    rows = Consent.objects.filter(informant__evaluation=evaluation).values_list(
        "informant_id", "withdrawn_at"
    )
    for informant_id, withdrawn_at in rows:
        withdrawn[informant_id].append(withdrawn_at is not None)
    return [
        engine.InformantRecord(
            group=i.group.code,
            site=i.site.name if i.site_id else None,
            gender=i.gender,
            age_band=i.age_band,
            length_of_service=i.length_of_service,
            recruited_through=i.recruited_through,
            consents_withdrawn=tuple(withdrawn.get(i.pk, ())),
        )
        for i in evaluation.informants.select_related("group", "site")
    ]


def _criterion_record(criterion: SamplingCriterion) -> engine.CriterionRecord:
    return engine.CriterionRecord(
        criterion.attribute, criterion.value, criterion.target, criterion.per_site
    )


def criteria_progress(
    evaluation, records: list[engine.InformantRecord] | None = None
) -> list[tuple[SamplingCriterion, engine.CriterionProgress]]:
    """Each sampling criterion with its progress (achieved counts only informants who count).

    A per-site group target leaves out the sites whose plan marks the group "not planned".
    """
    records = informant_records(evaluation) if records is None else records
    criteria = list(evaluation.sampling_criteria.all())
    sites = [s.name for s in evaluation.sites.all()]
    # A group "at every site" is not asked of a site whose plan leaves the group out.
    left_out = _not_planned(evaluation)
    progress = []
    for criterion in criteria:
        skip = (
            left_out.get(criterion.value.strip().casefold(), set())
            if criterion.attribute == SamplingCriterion.Attribute.GROUP and criterion.per_site
            else set()
        )
        progress += engine.criterion_progress(
            records, [_criterion_record(criterion)], [s for s in sites if s not in skip]
        )
    return list(zip(criteria, progress, strict=True))


def distributions(evaluation, records: list[engine.InformantRecord] | None = None) -> list[dict]:
    """The counted informants per value of each attribute, for the sampling page."""
    records = informant_records(evaluation) if records is None else records
    total = len(engine.counted(records))
    group_names = {g.code: g.name for g in evaluation.informant_groups.all()}
    tables = []
    for attribute in ("group", "site", "gender", "age_band", "recruited_through"):
        rows = []
        for value, count in engine.distribution(records, attribute):
            if attribute == "group":
                shown = group_names.get(value, value)
            else:
                shown = choice_label(attribute, value) if value else gettext("Not recorded")
            rows.append({"value": shown, "count": count, "percent": round(100 * count / total)})
        tables.append({"attribute": attribute_label(attribute), "rows": rows})
    return tables


def skew_summary(
    evaluation, records: list[engine.InformantRecord] | None = None
) -> list[SkewFinding]:
    """What looks skewed in the evaluation's sample, warnings first, as translated findings."""
    records = informant_records(evaluation) if records is None else records
    criteria = [_criterion_record(c) for c in evaluation.sampling_criteria.all()]
    findings = engine.skew_summary(
        records,
        criteria,
        sites=[s.name for s in evaluation.sites.all()],
        groups=[(g.code, g.name) for g in evaluation.informant_groups.all()],
    )
    ordered = sorted(findings, key=lambda f: f.severity != engine.WARNING)
    left_out = _not_planned(evaluation)
    result = []
    for f in ordered:
        params = dict(f.params)
        if f.kind == "criterion_short_per_site" and params.get("attribute") == "group":
            # A site whose plan leaves the group out is not short of it.
            skip = left_out.get(str(params.get("value", "")).strip().casefold(), set())
            params["sites"] = [(site, n) for site, n in params["sites"] if site not in skip]
            if not params["sites"] and skip:
                continue
        result.append(SkewFinding(f.kind, f.severity, params))
    return result


def _not_planned(evaluation) -> dict[str, set[str]]:
    """Group code (case-folded) -> names of the sites whose plan leaves the group out."""
    left_out: dict[str, set[str]] = defaultdict(set)
    for site, code in SiteGroupPlan.objects.filter(
        site__evaluation=evaluation, planned=False
    ).values_list("site__name", "group__code"):
        left_out[code.casefold()].add(site)
    return left_out

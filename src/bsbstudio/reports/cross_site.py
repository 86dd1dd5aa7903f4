"""The cross-site comparison (step 8): its tables read from the database, its edits, its export.

The tables compare the evaluation's sites: interviews, informants and dialogue-conference
participants counted per site, quotes per theme and site with their polarity, each site's
category on the rated areas, and numeric site facts. Every change (areas, the rating scale,
ratings, indicators, facts) is one audited action here; the XLSX export passes the leak guard.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, require
from bsbstudio.analysis.models import Code, CodedSegment
from bsbstudio.conference.models import ParticipantCount, ParticipantRole
from bsbstudio.errors import UserFacingError, gettext_noop
from bsbstudio.fieldwork.models import Informant, Interview

from .engine.cross_site import (
    BAR_COLOURS,
    Table,
    facts_table,
    heat_level,
    parse_number,
    rating_table,
    stacked_bars,
    with_sums,
)
from .engine.xlsx import write_xlsx
from .exports import audit, check, guard
from .models import RatingArea, RatingScaleValue, SiteFact, SiteIndicator, SiteRating


class CrossSiteRefused(UserFacingError):
    """An edit of the cross-site tables that cannot be made; nothing was changed."""


REFUSAL_TEMPLATES = {
    "no_name": gettext_noop("Write a name."),
    "name_taken": gettext_noop("%(name)s is already in the list."),
    "not_on_scale": gettext_noop(
        "%(site)s, %(area)s: “%(value)s” is not on the scale (%(scale)s). Nothing was saved."
    ),
    "bad_page": gettext_noop(
        "%(site)s, %(area)s: the page must be a whole number, not “%(page)s”. Nothing was saved."
    ),
    "not_a_number": gettext_noop(
        "%(site)s, %(indicator)s: “%(value)s” is not a number. Write a number such as 12 or "
        "3,5. Nothing was saved."
    ),
    "bad_year": gettext_noop("The year must be a whole number such as 2026, not “%(year)s”."),
    "too_long": gettext_noop(
        "“%(start)s…” is too long: at most %(limit)s characters. Nothing was saved."
    ),
}

# The shortest name column (a scale category); area and indicator names share the limit.
NAME_LIMIT = 100
SOURCE_LIMIT = 300


def _refusal(code: str, **params) -> CrossSiteRefused:
    return CrossSiteRefused(code, REFUSAL_TEMPLATES[code], **params)


def _words(text: str) -> str:
    """The text on one line with control characters (NUL included) taken out."""
    # PostgreSQL refuses NUL in text columns; no typed name or source needs a control character.
    return " ".join("".join(c for c in (text or "") if c.isprintable() or c.isspace()).split())


def _limited(text: str, limit: int) -> str:
    if len(text) > limit:
        raise _refusal("too_long", start=text[:30], limit=limit)
    return text


def _name(text: str) -> str:
    name = _words(text)
    if not name:
        raise _refusal("no_name")
    return _limited(name, NAME_LIMIT)


# -- edits ----------------------------------------------------------------------------------


@transaction.atomic
def ensure_scale(actor, evaluation) -> list[RatingScaleValue]:
    """The evaluation's rating scale, made on first use (profiled, little profiled, not assessed)."""
    require(actor, evaluation, Action.EDIT_REPORT)
    scale = list(evaluation.rating_scale.order_by("order", "pk"))
    if not scale:
        names = [_("profiled"), _("little profiled"), _("not assessed")]
        scale = [
            RatingScaleValue.objects.create(evaluation=evaluation, name=name, order=order)
            for order, name in enumerate(names)
        ]
        record(actor, "cross_site.scale.create", None, evaluation, values=names)
    return scale


@transaction.atomic
def add_scale_value(actor, evaluation, name: str) -> RatingScaleValue:
    """Add a category to the end of the evaluation's rating scale."""
    name = _name(name)
    scale = ensure_scale(actor, evaluation)
    if any(v.name.lower() == name.lower() for v in scale):
        raise _refusal("name_taken", name=name)
    value = RatingScaleValue.objects.create(evaluation=evaluation, name=name, order=len(scale))
    record(actor, "cross_site.scale.add", value, evaluation, name=name)
    return value


@transaction.atomic
def add_area(actor, evaluation, name: str) -> RatingArea:
    """Add an area the sites are rated on (the scale is made then, if it is not yet)."""
    name = _name(name)
    ensure_scale(actor, evaluation)
    if evaluation.rating_areas.filter(name__iexact=name).exists():
        raise _refusal("name_taken", name=name)
    order = evaluation.rating_areas.count()
    area = RatingArea.objects.create(evaluation=evaluation, name=name, order=order)
    record(actor, "cross_site.area.add", area, evaluation, name=name)
    return area


@transaction.atomic
def delete_area(actor, area) -> None:
    """Delete an area and every site's rating on it."""
    require(actor, area.evaluation, Action.EDIT_REPORT)
    ratings = area.ratings.count()
    record(actor, "cross_site.area.delete", area, area.evaluation, name=area.name, ratings=ratings)
    area.delete()


@transaction.atomic
def save_site_ratings(actor, site, entries: dict[int, tuple[str, str, str]]) -> bool:
    """Store a site's category, source document and page per area id; an empty category clears it.

    Everything is checked before anything is stored: a category outside the scale or a page
    that is not a whole number refuses the whole form. Returns whether anything changed.
    """
    evaluation = site.evaluation
    require(actor, evaluation, Action.EDIT_REPORT)
    scale = {v.name: v for v in ensure_scale(actor, evaluation)}
    areas = {a.pk: a for a in evaluation.rating_areas.all()}
    wanted = {}
    for area_id, (value, source, page) in entries.items():
        area = areas.get(area_id)
        if area is None:
            continue
        value, source, page = value.strip(), _limited(_words(source), SOURCE_LIMIT), page.strip()
        if value and value not in scale:
            raise _refusal(
                "not_on_scale", site=site.name, area=area.name, value=value, scale=", ".join(scale)
            )
        if page and (
            not (page.isascii() and page.isdigit() and len(page) <= 5) or not 0 < int(page)
        ):
            raise _refusal("bad_page", site=site.name, area=area.name, page=page)
        wanted[area] = (scale[value] if value else None, source, int(page) if page else None)
    current = {r.area_id: r for r in site.ratings.select_for_update()}
    changed = []
    for area, (value, source, page) in wanted.items():
        rating = current.get(area.pk)
        if value is None:
            if rating is not None:
                rating.delete()
                changed.append({"area": area.pk, "value": None})
            continue
        if rating and (rating.value_id, rating.source_document, rating.page) == (
            value.pk,
            source,
            page,
        ):
            continue
        SiteRating.objects.update_or_create(
            site=site,
            area=area,
            defaults={"value": value, "source_document": source, "page": page},
        )
        changed.append({"area": area.pk, "value": value.name})
    if changed:
        record(actor, "cross_site.ratings.save", site, evaluation, changed=changed)
    return bool(changed)


def _year(text: str) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    # isdecimal, not isdigit: "²" is a digit to Python but not a number int() reads.
    if (
        not (text.isascii() and text.isdecimal() and len(text) == 4)
        or not 1900 <= int(text) <= 2999
    ):
        raise _refusal("bad_year", year=text)
    return int(text)


@transaction.atomic
def add_indicator(actor, evaluation, name: str, unit="", source="", year="") -> SiteIndicator:
    """Add a numeric indicator the sites are compared on, with its unit, source and year."""
    require(actor, evaluation, Action.EDIT_REPORT)
    name = _name(name)
    year = _year(str(year))
    if evaluation.site_indicators.filter(name__iexact=name).exists():
        raise _refusal("name_taken", name=name)
    try:
        with transaction.atomic():
            indicator = SiteIndicator.objects.create(
                evaluation=evaluation,
                name=name,
                unit=_words(unit)[:60],
                source=_words(source)[:300],
                year=year,
                order=evaluation.site_indicators.count(),
            )
    except IntegrityError as error:  # the same name added at the same moment
        raise _refusal("name_taken", name=name) from error
    record(actor, "cross_site.indicator.add", indicator, evaluation, name=name)
    return indicator


@transaction.atomic
def delete_indicator(actor, indicator) -> None:
    """Delete an indicator and its facts."""
    require(actor, indicator.evaluation, Action.EDIT_REPORT)
    record(
        actor,
        "cross_site.indicator.delete",
        indicator,
        indicator.evaluation,
        name=indicator.name,
        facts=indicator.facts.count(),
    )
    indicator.delete()


@transaction.atomic
def save_site_facts(actor, evaluation, entries: dict[tuple[int, int], str]) -> bool:
    """Store the facts typed per (indicator id, site id); an empty one clears the fact.

    Text where a number belongs refuses the whole form, naming the site and indicator.
    Returns whether anything changed.
    """
    require(actor, evaluation, Action.EDIT_REPORT)
    indicators = {i.pk: i for i in evaluation.site_indicators.all()}
    sites = {s.pk: s for s in evaluation.sites.all()}
    wanted = {}
    for (indicator_id, site_id), text in entries.items():
        indicator, site = indicators.get(indicator_id), sites.get(site_id)
        if indicator is None or site is None:
            continue
        try:
            wanted[indicator, site] = parse_number(text or "")
        except ValueError:
            raise _refusal(
                "not_a_number", site=site.name, indicator=indicator.name, value=text.strip()
            ) from None
    current = {
        (f.indicator_id, f.site_id): f
        for f in SiteFact.objects.select_for_update().filter(indicator__evaluation=evaluation)
    }
    changed = []
    for (indicator, site), value in wanted.items():
        fact = current.get((indicator.pk, site.pk))
        if value is None:
            if fact is not None:
                fact.delete()
                changed.append({"indicator": indicator.pk, "site": site.pk, "value": None})
        elif fact is None or fact.value != value:
            SiteFact.objects.update_or_create(
                indicator=indicator, site=site, defaults={"value": value}
            )
            changed.append({"indicator": indicator.pk, "site": site.pk, "value": str(value)})
    if changed:
        record(actor, "cross_site.facts.save", None, evaluation, changed=changed)
    return bool(changed)


# -- the tables -----------------------------------------------------------------------------


@dataclass
class HeatCell:
    """One cell of the theme x site heat map."""

    count: int
    positive: int
    critical: int
    neutral: int
    level: int


@dataclass
class Comparison:
    """Everything the cross-site page shows."""

    tables: list[Table]
    interviews: Table
    informants: Table
    conference: Table | None
    quotes: Table
    polarity: Table
    ratings: Table
    facts: Table
    heat_columns: list[str]
    heat_rows: list[tuple[str, list[HeatCell]]]
    bars: list  # (area, y, parts) of the area chart
    legend: list  # (category, fill, x) below the bars
    chart_height: int
    legend_y: int
    scale: list[str]
    indicators: list[SiteIndicator]


def _site_columns(sites, site_ids, without: str):
    """The sites as (id, name), with a row for counts without a site when there are any."""
    columns = [(s.pk, s.name) for s in sites]
    if None in site_ids:
        columns.append((None, without))
    return columns


def _count_rows(sites, counts: dict, keys, without: str):
    rows = _site_columns(sites, {site for site, _key in counts}, without)
    return [(name, [counts.get((site, key), 0) for key in keys]) for site, name in rows]


def comparison(evaluation) -> Comparison:
    """Read and shape every table of the cross-site comparison (database sums, engine shapes)."""
    sites = list(evaluation.sites.order_by("order", "name", "pk"))
    total, sum_label, site_label = _("Total"), _("Sum"), _("Site")

    interview_counts = {
        (r["site_id"], r["kind"]): r["n"]
        for r in Interview.objects.filter(evaluation=evaluation)
        .exclude(status=Interview.Status.CANCELLED)
        .values("site_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
    }
    kinds = list(Interview.Kind)
    interviews = with_sums(
        _("Interviews"),
        _("Interviews per site"),
        site_label,
        [k.label for k in kinds],
        _count_rows(sites, interview_counts, [k.value for k in kinds], _("Without site")),
        total=total,
        sum_label=sum_label,
        note=_("Cancelled interviews are not counted."),
    )

    groups = list(evaluation.informant_groups.order_by("order", "pk"))
    informant_counts = {
        (r["site_id"], r["group_id"]): r["n"]
        for r in Informant.objects.filter(evaluation=evaluation)
        .values("site_id", "group_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    informants = with_sums(
        _("Informants"),
        _("Informants per site and informant group"),
        site_label,
        [g.name for g in groups],
        _count_rows(sites, informant_counts, [g.pk for g in groups], _("Without site")),
        total=total,
        sum_label=sum_label,
    )

    participant_counts = {
        (r["conference__site_id"], r["role"]): r["n"]
        for r in ParticipantCount.objects.filter(conference__evaluation=evaluation)
        .values("conference__site_id", "role")
        .annotate(n=Sum("count"))
        .order_by()
    }
    conference = None
    if participant_counts:
        roles = list(ParticipantRole)
        conference = with_sums(
            _("Conferences"),
            _("Dialogue-conference participants per site and role"),
            site_label,
            [r.label for r in roles],
            _count_rows(sites, participant_counts, [r.value for r in roles], _("Across sites")),
            total=total,
            sum_label=sum_label,
            note=_("A conference for all sites is counted under “Across sites”."),
        )

    quotes, polarity, heat_columns, heat_rows = _quote_tables(evaluation, sites)
    ratings, scale = _rating_table(evaluation, sites)
    facts, indicators = _facts_table(evaluation, sites)
    bars = stacked_bars(ratings, scale, start=255) if ratings.rows and ratings.columns else []
    tables = [interviews, informants, *([conference] if conference else []), quotes, polarity]
    tables += [ratings, facts]
    return Comparison(
        tables=tables,
        interviews=interviews,
        informants=informants,
        conference=conference,
        quotes=quotes,
        polarity=polarity,
        ratings=ratings,
        facts=facts,
        heat_columns=heat_columns,
        heat_rows=heat_rows,
        bars=[(area, 10 * i, parts) for i, (area, parts) in enumerate(bars)],
        legend=[
            (name, BAR_COLOURS[i % len(BAR_COLOURS)][0], 100 * i) for i, name in enumerate(scale)
        ],
        chart_height=10 * len(bars) + 12,
        legend_y=10 * len(bars) + 2,
        scale=scale,
        indicators=indicators,
    )


def comparison_tables(evaluation) -> list[Table]:
    """The tables of the comparison, in the order of the workbook's sheets."""
    return comparison(evaluation).tables


def _quote_tables(evaluation, sites):
    """Quotes (approved texts only) per theme and site, polarity per site, and the heat map."""
    codes = list(Code.objects.filter(evaluation=evaluation).order_by("kind", "order", "pk"))
    polarities = [p.value for p in CodedSegment.Polarity]
    cells: dict[tuple, list[int]] = {}  # (code, site) -> count per polarity
    for row in (
        CodedSegment.objects.filter(code__evaluation=evaluation, text__approved_at__isnull=False)
        .values("code_id", "text__transcript__interview__site_id", "polarity")
        .annotate(n=Count("id"))
        .order_by()
    ):
        key = (row["code_id"], row["text__transcript__interview__site_id"])
        cells.setdefault(key, [0] * len(polarities))[polarities.index(row["polarity"])] = row["n"]
    columns = _site_columns(sites, {site for _code, site in cells}, _("Without site"))
    empty = [0] * len(polarities)
    per_site = {
        site: [
            sum(cells.get((c.pk, site), empty)[i] for c in codes) for i in range(len(polarities))
        ]
        for site, _name in columns
    }
    note = _("Quotes from approved de-identified texts.")
    quotes = with_sums(
        _("Quotes per theme"),
        _("Quotes per theme and site"),
        _("Theme"),
        [name for _site, name in columns],
        [
            (code.name, [sum(cells.get((code.pk, site), empty)) for site, _name in columns])
            for code in codes
        ],
        total=_("Total"),
        sum_label=_("Sum"),
        note=note,
    )
    polarity = with_sums(
        _("Polarity"),
        _("Positive, critical and neutral quotes per site"),
        _("Site"),
        [p.label for p in CodedSegment.Polarity],
        [(name, per_site[site]) for site, name in columns],
        total=_("Total"),
        sum_label=_("Sum"),
        note=note,
    )
    highest = max((sum(c) for c in cells.values()), default=0)
    heat_rows = [
        (
            code.name,
            [
                HeatCell(sum(c), *c, heat_level(sum(c), highest))
                for c in (cells.get((code.pk, site), empty) for site, _name in columns)
            ],
        )
        for code in codes
    ]
    return quotes, polarity, [name for _site, name in columns], heat_rows


def _rating_table(evaluation, sites):
    scale = [v.name for v in evaluation.rating_scale.order_by("order", "pk")]
    areas = list(evaluation.rating_areas.order_by("order", "pk"))
    values = {
        (r.site_id, r.area_id): r
        for r in SiteRating.objects.filter(area__evaluation=evaluation).select_related("value")
    }
    sources = sorted(
        {
            _("%(document)s, page %(page)s") % {"document": r.source_document, "page": r.page}
            if r.page
            else r.source_document
            for r in values.values()
            if r.source_document
        }
    )
    table = rating_table(
        _("Areas"),
        _("Areas per site"),
        _("Site"),
        [a.name for a in areas],
        [
            (
                site.name,
                [
                    values[site.pk, a.pk].value.name if (site.pk, a.pk) in values else None
                    for a in areas
                ],
            )
            for site in sites
        ],
        scale,
        sum_label=_("Number of sites"),
        note=(_("Sources: %(sources)s") % {"sources": "; ".join(sources)}) if sources else "",
    )
    return table, scale


def _facts_table(evaluation, sites):
    indicators = list(evaluation.site_indicators.order_by("order", "pk"))
    values = {
        (f.indicator_id, f.site_id): f.value
        for f in SiteFact.objects.filter(indicator__evaluation=evaluation)
    }
    sources = [
        ", ".join(str(part) for part in (i.name, i.source, i.year) if part)
        for i in indicators
        if i.source or i.year
    ]
    table = facts_table(
        _("Site facts"),
        _("Facts per site"),
        _("Site"),
        [f"{i.name} ({i.unit})" if i.unit else i.name for i in indicators],
        [(site.name, [values.get((i.pk, site.pk)) for i in indicators]) for site in sites],
        sum_label=_("Sum"),
        average_label=_("Average"),
        note=(_("Sources: %(sources)s") % {"sources": "; ".join(sources)}) if sources else "",
    )
    return table, indicators


# -- the export -----------------------------------------------------------------------------


def scanned_texts(evaluation) -> list[str]:
    """What the leak guard reads in the workbook: the team's own words in it.

    Theme, area and indicator names, units and sources are typed by the team and could carry a
    name; site and group names come from the plan, and the rest are counts and fixed words.
    """
    texts = list(
        Code.objects.filter(evaluation=evaluation).order_by("pk").values_list("name", flat=True)
    )
    texts += evaluation.rating_areas.order_by("pk").values_list("name", flat=True)
    for indicator in evaluation.site_indicators.order_by("pk"):
        texts += [indicator.name, indicator.unit, indicator.source]
    texts += (
        SiteRating.objects.filter(area__evaluation=evaluation)
        .order_by("pk")
        .values_list("source_document", flat=True)
    )
    return [t for t in texts if t and t.strip()]


def export_xlsx(actor, evaluation) -> bytes:
    """The comparison as an XLSX workbook, one sheet per table, after the leak guard; audited."""
    check(actor, evaluation, Action.VIEW_WORK)
    tables = comparison_tables(evaluation)
    guard(evaluation, scanned_texts(evaluation))
    content = write_xlsx(tables)
    audit(actor, "cross_site.export", evaluation, format="xlsx", sheets=len(tables))
    return content

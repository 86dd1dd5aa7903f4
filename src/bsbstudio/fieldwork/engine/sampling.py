"""Sampling (utvalg): target against achieved per criterion, and signs of a skewed sample.

BSB relies on the services to recruit informants, which tends to bring forward the users the
service knows best. These rules point out where the sample leans one way, so the process leader
can ask for more informants of the kind that is missing before the fieldwork ends.

Who counts: an informant counts unless they withdrew from every interview they had a consent
for (all their consent rows have a withdrawal time). Someone with no consent row yet (recruited,
not yet interviewed) counts; someone who withdrew from one interview but completed another
counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

ATTRIBUTES = ("group", "site", "gender", "age_band", "length_of_service", "recruited_through")
# Attributes checked for one value dominating the sample.
DOMINANCE_ATTRIBUTES = ("gender", "age_band", "recruited_through")
# A value held by at least this share of the informants who have one is reported ...
DOMINANCE_SHARE = 0.7
# ... once at least this many informants have a value; fewer are too few to call a skew.
MIN_FOR_SHARE = 5
# Group balance. With targets for at least two groups, each group's share of the informants in
# those groups is compared with its share of the targets, and a group at less than half its
# expected share is reported (targets 20 users and 10 relatives expect a third relatives; 237
# users and one relative give 0.4 %). Without targets, a group with fewer than a fifth of the
# informants of the largest group is reported, once the largest has MIN_FOR_SHARE: BSB hears
# users, relatives and staff side by side, and one voice far below the others skews the matrix.
BELOW_EXPECTED_SHARE = 0.5
FAR_BELOW_LARGEST = 0.2

WARNING = "warning"
INFO = "info"


def is_counted(consents_withdrawn: Sequence[bool]) -> bool:
    """The counting rule: out only when every consent row of the informant has a withdrawal."""
    return not consents_withdrawn or not all(consents_withdrawn)


@dataclass(frozen=True)
class InformantRecord:
    """What sampling needs to know about one informant.

    ``group`` is the group code, ``site`` the site name (None without site), and
    ``consents_withdrawn`` one flag per consent row: whether it has a withdrawal time.
    """

    group: str
    site: str | None = None
    gender: str = ""
    age_band: str = ""
    length_of_service: str = ""
    recruited_through: str = ""
    consents_withdrawn: tuple[bool, ...] = ()

    @property
    def counted(self) -> bool:
        """Whether the informant counts in the sample (see the module docstring)."""
        return is_counted(self.consents_withdrawn)

    def value(self, attribute: str) -> str:
        """The informant's value of ``attribute`` ('' when not recorded)."""
        return getattr(self, attribute) or ""


@dataclass(frozen=True)
class CriterionRecord:
    """A sampling target: ``target`` informants whose ``attribute`` equals ``value``.

    With ``per_site`` the target holds at every site on its own ("at least two relatives per
    site"), counting each informant at their own site.
    """

    attribute: str
    value: str
    target: int
    per_site: bool = False


@dataclass(frozen=True)
class CriterionProgress:
    """How far a criterion has come.

    ``achieved`` counts matching informants (all sites together); for a per-site criterion
    ``per_site`` holds (site, matching informants there) for every site, and it is met only when
    every site reaches the target (never with no sites).
    """

    criterion: CriterionRecord
    achieved: int
    per_site: tuple[tuple[str, int], ...] = ()

    @property
    def short_sites(self) -> list[tuple[str, int]]:
        """Sites below a per-site target, with what they have."""
        return [(site, n) for site, n in self.per_site if n < self.criterion.target]

    @property
    def met(self) -> bool:
        """Whether the target is reached (at every site, for a per-site criterion)."""
        if self.criterion.per_site:
            return bool(self.per_site) and not self.short_sites
        return self.achieved >= self.criterion.target

    @property
    def percent(self) -> int:
        """Achieved as a share of the target, 0-100 (capped), for drawing a bar.

        Per site: the share of the sites that reached the target.
        """
        if self.criterion.per_site:
            if not self.per_site:
                return 0
            return round(100 * (len(self.per_site) - len(self.short_sites)) / len(self.per_site))
        if self.criterion.target <= 0:
            return 100
        return min(100, round(100 * self.achieved / self.criterion.target))


@dataclass(frozen=True)
class Finding:
    """One observation about the sample.

    ``kind`` names the rule (the app turns it into a translated sentence), ``params`` fills that
    sentence, ``severity`` is ``warning`` (act on it) or ``info``.
    """

    kind: str
    severity: str
    params: dict = field(default_factory=dict)


def _same(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def counted(informants: Iterable[InformantRecord]) -> list[InformantRecord]:
    """The informants who count in the sample."""
    return [i for i in informants if i.counted]


def matches(informant: InformantRecord, attribute: str, value: str) -> bool:
    """Whether the informant's ``attribute`` equals ``value`` (trimmed, case-insensitive)."""
    if attribute not in ATTRIBUTES:
        return False
    return _same(informant.value(attribute), value)


def criterion_progress(
    informants: Sequence[InformantRecord],
    criteria: Iterable[CriterionRecord],
    sites: Sequence[str] = (),
) -> list[CriterionProgress]:
    """Achieved against target for each criterion, counting only informants who count.

    ``sites`` (the evaluation's site names) are needed for per-site criteria.
    """
    pool = counted(informants)
    result = []
    for c in criteria:
        matching = [i for i in pool if matches(i, c.attribute, c.value)]
        per_site = ()
        if c.per_site:
            per_site = tuple(
                (site, sum(1 for i in matching if i.site is not None and _same(i.site, site)))
                for site in sites
            )
        result.append(CriterionProgress(c, len(matching), per_site))
    return result


def distribution(informants: Sequence[InformantRecord], attribute: str) -> list[tuple[str, int]]:
    """How many counted informants hold each value of ``attribute``, most common first.

    Informants without a value are counted under ''.
    """
    tally = Counter(i.value(attribute).strip() for i in counted(informants))
    return sorted(tally.items(), key=lambda kv: (-kv[1], kv[0].casefold()))


def skew_summary(
    informants: Sequence[InformantRecord],
    criteria: Sequence[CriterionRecord] = (),
    sites: Sequence[str] = (),
    groups: Sequence[tuple[str, str]] = (),
) -> list[Finding]:
    """Findings about the sample, the ones to act on first.

    ``sites`` are the evaluation's site names and ``groups`` its (code, name) pairs, so that a
    site or group with nobody in it can be named. Rules, in order: criteria below target; sites
    and groups without informants; one value dominating gender, age band or recruiting service;
    informants left out because they withdrew.
    """
    pool = counted(informants)
    findings: list[Finding] = []
    if not pool:
        findings.append(Finding("no_informants", INFO))
    for progress in criterion_progress(informants, criteria, sites):
        if not progress.met:
            c = progress.criterion
            params = {"attribute": c.attribute, "value": c.value, "target": c.target}
            if c.per_site:
                short = progress.short_sites if progress.per_site else []
                findings.append(
                    Finding("criterion_short_per_site", WARNING, {**params, "sites": short})
                )
            else:
                findings.append(
                    Finding("criterion_short", WARNING, {**params, "achieved": progress.achieved})
                )
    if pool:
        for site in sites:
            if not any(i.site is not None and _same(i.site, site) for i in pool):
                findings.append(Finding("site_missing", WARNING, {"site": site}))
        for code, name in groups:
            if not any(_same(i.group, code) for i in pool):
                findings.append(Finding("group_missing", WARNING, {"group": name, "code": code}))
        findings.extend(group_balance(pool, criteria, groups, len(sites)))
    for attribute in DOMINANCE_ATTRIBUTES:
        finding = _dominance(pool, attribute)
        if finding:
            findings.append(finding)
    left_out = len(informants) - len(pool)
    if left_out:
        findings.append(Finding("withdrawn", INFO, {"count": left_out}))
    return findings


def group_balance(
    pool: Sequence[InformantRecord],
    criteria: Sequence[CriterionRecord],
    groups: Sequence[tuple[str, str]],
    site_count: int = 0,
) -> list[Finding]:
    """Groups far below what the plan expects, or far below the others (see BELOW_EXPECTED_SHARE).

    Groups with nobody are left to the ``group_missing`` rule.
    """
    counts = {code: sum(1 for i in pool if _same(i.group, code)) for code, _name in groups}
    expected: dict[str, int] = {}
    for c in criteria:
        if c.attribute != "group":
            continue
        code = next((code for code, _name in groups if _same(code, c.value)), None)
        if code is not None:
            wanted = c.target * max(site_count, 1) if c.per_site else c.target
            expected[code] = max(expected.get(code, 0), wanted)
    findings = []
    if len(expected) >= 2:
        planned_total = sum(expected.values())
        total = sum(counts[code] for code in expected)
        if total >= MIN_FOR_SHARE:
            for code, name in groups:
                if code not in expected or not counts[code]:
                    continue
                share, wanted = counts[code] / total, expected[code] / planned_total
                if share < wanted * BELOW_EXPECTED_SHARE:
                    findings.append(
                        Finding(
                            "group_below_plan",
                            WARNING,
                            {
                                "group": name,
                                "count": counts[code],
                                "total": total,
                                "percent": round(100 * share),
                                "expected": round(100 * wanted),
                            },
                        )
                    )
        return findings
    if not counts:
        return findings
    largest_code = max(counts, key=lambda code: counts[code])
    largest = counts[largest_code]
    if largest < MIN_FOR_SHARE:
        return findings
    names = dict(groups)
    for code, name in groups:
        if 0 < counts[code] < largest * FAR_BELOW_LARGEST:
            findings.append(
                Finding(
                    "group_far_below",
                    WARNING,
                    {
                        "group": name,
                        "count": counts[code],
                        "largest_group": names[largest_code],
                        "largest": largest,
                    },
                )
            )
    return findings


def _dominance(pool: Sequence[InformantRecord], attribute: str) -> Finding | None:
    values = [i.value(attribute).strip() for i in pool if i.value(attribute).strip()]
    if len(values) < MIN_FOR_SHARE:
        return None
    tally = Counter(v.casefold() for v in values)
    top, count = max(tally.items(), key=lambda kv: (kv[1], kv[0]))
    if count / len(values) < DOMINANCE_SHARE:
        return None
    shown = next(v for v in values if v.casefold() == top)
    return Finding(
        "dominant_value",
        WARNING,
        {
            "attribute": attribute,
            "value": shown,
            "count": count,
            "total": len(values),
            "percent": round(100 * count / len(values)),
        },
    )

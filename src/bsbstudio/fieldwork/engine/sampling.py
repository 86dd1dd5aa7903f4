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
    """A sampling target: ``target`` informants whose ``attribute`` equals ``value``."""

    attribute: str
    value: str
    target: int


@dataclass(frozen=True)
class CriterionProgress:
    """How far a criterion has come."""

    criterion: CriterionRecord
    achieved: int

    @property
    def met(self) -> bool:
        """Whether the target is reached."""
        return self.achieved >= self.criterion.target

    @property
    def percent(self) -> int:
        """Achieved as a share of the target, 0-100 (capped), for drawing a bar."""
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
    informants: Sequence[InformantRecord], criteria: Iterable[CriterionRecord]
) -> list[CriterionProgress]:
    """Achieved against target for each criterion, counting only informants who count."""
    pool = counted(informants)
    return [
        CriterionProgress(c, sum(1 for i in pool if matches(i, c.attribute, c.value)))
        for c in criteria
    ]


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
    for progress in criterion_progress(informants, criteria):
        if not progress.met:
            c = progress.criterion
            findings.append(
                Finding(
                    "criterion_short",
                    WARNING,
                    {
                        "attribute": c.attribute,
                        "value": c.value,
                        "achieved": progress.achieved,
                        "target": c.target,
                    },
                )
            )
    if pool:
        for site in sites:
            if not any(i.site is not None and _same(i.site, site) for i in pool):
                findings.append(Finding("site_missing", WARNING, {"site": site}))
        for code, name in groups:
            if not any(_same(i.group, code) for i in pool):
                findings.append(Finding("group_missing", WARNING, {"group": name, "code": code}))
    for attribute in DOMINANCE_ATTRIBUTES:
        finding = _dominance(pool, attribute)
        if finding:
            findings.append(finding)
    left_out = len(informants) - len(pool)
    if left_out:
        findings.append(Finding("withdrawn", INFO, {"count": left_out}))
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

"""The fieldwork engine: pseudonym codes, the consent checklist and sample skew, without Django."""

from __future__ import annotations

import datetime
import subprocess
import sys

import pytest

from bsbstudio.fieldwork.engine.codes import code_prefix, looks_like_real_name, next_code
from bsbstudio.fieldwork.engine.consent import (
    CHECKLIST,
    ConsentAnswers,
    has_gap,
    missing_items,
    took_place,
)
from bsbstudio.fieldwork.engine.sampling import (
    CriterionRecord,
    InformantRecord,
    criterion_progress,
    distribution,
    is_counted,
    skew_summary,
)

# --- Codes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("group", "site", "expected"),
    [("B", 1, "B1"), ("P", 2, "P2"), ("B", None, "B"), (" A ", 12, "A12")],
)
def test_code_prefix(group, site, expected):
    assert code_prefix(group, site) == expected


@pytest.mark.parametrize(
    ("prefix", "existing", "expected"),
    [
        ("B1", [], "B1-01"),
        ("B1", ["B1-01", "B1-02"], "B1-03"),
        ("B1", ["b1-07"], "B1-08"),  # case does not matter
        ("B1", ["B1-01", "B1-03"], "B1-04"),  # a gap is not reused: the code may be in notes
        ("B1", ["B10-05", "B-09", "B1-x"], "B1-01"),  # other prefixes and odd codes are ignored
        ("B", ["B-99"], "B-100"),
    ],
)
def test_next_code(prefix, existing, expected):
    assert next_code(prefix, existing) == expected


@pytest.mark.parametrize(
    ("code", "is_name"),
    [
        ("Kari Nordmann", True),
        ("ola nordmann", True),
        ("Kari nordmann", True),
        ("Anne-Marie Li", True),
        ("Per Olav Hansen", True),
        ("B1-01", False),
        ("B-01", False),
        ("Kari", False),  # one word: could be a code word; not refused
        ("B Nord 01", False),
        ("FG Nord", False),  # an all-capitals part marks a code
    ],
)
def test_looks_like_real_name(code, is_name):
    assert looks_like_real_name(code) is is_name


# --- Consent checklist -----------------------------------------------------------------------


def test_nothing_recorded_misses_every_item():
    assert missing_items(None) == CHECKLIST
    assert has_gap(None)


def test_refusing_the_recording_is_a_complete_answer():
    answers = ConsentAnswers(True, True, False, True)
    assert missing_items(answers) == ()
    assert not has_gap(answers)


def test_recording_not_asked_yet_is_missing():
    answers = ConsentAnswers(True, True, None, True)
    assert missing_items(answers) == ("recording_consent",)


def test_withdrawn_participant_is_not_a_gap():
    assert not has_gap(ConsentAnswers(withdrawn=True))


@pytest.mark.parametrize(
    ("status", "date", "due"),
    [
        ("held", None, True),
        ("held", datetime.date(2030, 1, 1), True),
        ("planned", datetime.date(2026, 1, 1), True),  # the date has passed
        ("planned", datetime.date(2026, 6, 1), False),  # today: may not have happened yet
        ("planned", None, False),
        ("cancelled", datetime.date(2026, 1, 1), False),
    ],
)
def test_which_interviews_need_complete_consent(status, date, due):
    assert took_place(status, date, datetime.date(2026, 6, 1)) is due


# --- Sampling ----------------------------------------------------------------------------------


def informant(group="B", site="Nord", gender="", withdrawn=(), **extra):
    return InformantRecord(
        group=group, site=site, gender=gender, consents_withdrawn=tuple(withdrawn), **extra
    )


@pytest.mark.parametrize(
    ("withdrawn", "counted"),
    [((), True), ((False,), True), ((True, False), True), ((True,), False), ((True, True), False)],
)
def test_counted_unless_withdrawn_from_every_consent(withdrawn, counted):
    assert is_counted(withdrawn) is counted
    assert informant(withdrawn=withdrawn).counted is counted


def test_criterion_progress_counts_matching_informants_who_count():
    people = [
        informant(gender="kvinne"),
        informant(gender="Kvinne "),
        informant(gender="kvinne", withdrawn=[True]),
        informant(gender="mann"),
    ]
    criteria = [
        CriterionRecord("gender", "kvinne", 4),
        CriterionRecord("site", "nord", 3),
        CriterionRecord("group", "B", 2),
        CriterionRecord("unknown", "x", 1),
    ]
    progress = criterion_progress(people, criteria)
    assert [p.achieved for p in progress] == [2, 3, 3, 0]
    assert [p.met for p in progress] == [False, True, True, False]
    assert [p.percent for p in progress] == [50, 100, 100, 0]


def test_distribution_puts_the_most_common_first():
    people = [informant(gender="mann"), informant(gender="mann"), informant(gender="")]
    assert distribution(people, "gender") == [("mann", 2), ("", 1)]


def kinds(findings):
    return [f.kind for f in findings]


def test_skew_names_the_dominant_gender():
    people = [informant(gender="mann")] * 7 + [informant(gender="kvinne")] * 2
    [finding] = [f for f in skew_summary(people) if f.kind == "dominant_value"]
    assert finding.params == {
        "attribute": "gender",
        "value": "mann",
        "count": 7,
        "total": 9,
        "percent": 78,
    }
    assert finding.severity == "warning"


def test_too_few_informants_to_call_a_skew():
    people = [informant(gender="mann")] * 4
    assert "dominant_value" not in kinds(skew_summary(people))


def test_balanced_sample_has_no_dominance_finding():
    people = [informant(gender="mann")] * 3 + [informant(gender="kvinne")] * 3
    assert "dominant_value" not in kinds(skew_summary(people))


def test_missing_site_and_group_are_named():
    people = [informant(group="B", site="Nord")]
    findings = skew_summary(
        people, sites=["Nord", "Sør"], groups=[("B", "Brukere"), ("P", "Pårørende")]
    )
    assert {"kind": "site_missing", "site": "Sør"} in [
        {"kind": f.kind, **f.params} for f in findings
    ]
    assert any(f.kind == "group_missing" and f.params["group"] == "Pårørende" for f in findings)


def test_criterion_below_target_is_reported_with_its_numbers():
    people = [informant(gender="kvinne")]
    [finding] = skew_summary(people, [CriterionRecord("gender", "kvinne", 4)])
    assert finding.kind == "criterion_short"
    assert (finding.params["achieved"], finding.params["target"]) == (1, 4)


def test_withdrawn_informants_are_left_out_and_said_so():
    people = [informant(group="B"), informant(group="P", withdrawn=[True])]
    findings = skew_summary(people, groups=[("B", "Brukere"), ("P", "Pårørende")])
    assert any(f.kind == "group_missing" and f.params["code"] == "P" for f in findings)
    assert any(f.kind == "withdrawn" and f.params["count"] == 1 for f in findings)


def test_no_informants_is_one_finding_not_a_list_of_every_site():
    findings = skew_summary([], sites=["Nord", "Sør"], groups=[("B", "Brukere")])
    assert kinds(findings) == ["no_informants"]


def test_engine_imports_without_django():
    code = "import sys, bsbstudio.fieldwork.engine.sampling, bsbstudio.fieldwork.engine.codes, "
    code += "bsbstudio.fieldwork.engine.consent; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0

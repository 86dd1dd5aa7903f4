"""Every word on the pages is bokmål: translated strings, lower-case months, plurals, file names.

The first test extracts the messages the way ``makemessages`` does (on a copy of the source, never
in the repository) and fails on any msgid without a bokmål translation; the others render the key
pages of an evaluation in bokmål and look for English words and capitalised months.
"""

from __future__ import annotations

import ast
import datetime
import gettext
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import formats, translation

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "bsbstudio"
PO_FILE = PACKAGE / "locale" / "nb" / "LC_MESSAGES" / "django.po"

# Words that are English only (not also bokmål, as "Status", "Plan" or "Total" are), as they would
# appear on a page left untranslated.
ENGLISH_WORDS = [
    "Parent", "Site", "Sites", "Theme", "Themes", "Save", "Delete", "Cancel", "Edit", "Download",
    "Yes", "No", "None", "True", "False", "Remove", "Add", "Search", "Submit", "Back", "Next",
    "Previous", "Close", "Upload", "Name", "Date", "Group", "Groups", "Interview", "Interviews",
    "Report", "Reports", "Code", "Order", "Text", "Title", "Description", "Change", "Show", "Hide",
    "Approve", "Approved", "Minutes", "Measure", "Measures", "Round", "Goal", "Goals", "Informants",
    "Transcript", "Transcripts", "Quote", "Quotes", "Undo", "Redo", "Help", "Print", "Export",
    "Preview", "Choose", "Select", "the", "and", "of", "is", "with", "this", "You", "your",
    "Please", "Error", "required", "Enter", "Step", "Done", "Matrix", "Users", "Staff", "Leader",
    "Language", "Switch", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
    "Nov", "Dec",
]  # fmt: skip
ENGLISH = re.compile(r"(?<![\w-])(" + "|".join(ENGLISH_WORDS) + r")(?![\w-])")
# "12. Mai", "1. Des 2026": a day followed by a capitalised Norwegian or English month.
MONTHS = (
    "jan|feb|mar|mars|apr|april|mai|may|jun|juni|jul|juli|aug|august|sep|sept|okt|oct|nov|des|dec|"
    "januar|februar|juni|september|oktober|november|desember|january|february|march|june|july|"
    "october|december"
)
CAPITALISED_MONTH = re.compile(rf"\b\d{{1,2}}\. ?({MONTHS})\b", re.IGNORECASE)


# --- Every msgid has a bokmål translation ------------------------------------------------------
def _unquote(line: str) -> str:
    return ast.literal_eval(line.strip())


def extracted_msgids(po_text: str) -> set[str]:
    """The keys of a .po file as Python's gettext stores them ("ctxt\\x04id"), header left out."""
    keys: set[str] = set()
    fields: dict[str, str] = {}
    current = None

    def flush() -> None:
        if fields.get("msgid"):
            key = fields["msgid"]
            if "msgctxt" in fields:
                key = f"{fields['msgctxt']}\x04{key}"
            keys.add(key)
        fields.clear()

    for line in po_text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line)
        if match:
            name = match.group(1)
            if name in ("msgctxt", "msgid") and any(k.startswith("msgstr") for k in fields):
                flush()
            current = name
            fields[name] = _unquote(match.group(2))
        elif line.startswith('"') and current:
            fields[current] += _unquote(line)
    flush()
    return keys


def translated_catalog(po_file: Path, tmp_path: Path) -> dict:
    """The bokmål catalog as msgfmt compiles it: fuzzy and empty entries are left out."""
    mo_file = tmp_path / "check.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(mo_file), str(po_file)], check=True)
    with mo_file.open("rb") as handle:
        return gettext.GNUTranslations(handle)._catalog


def untranslated(extracted: set[str], catalog: dict) -> list[str]:
    """The extracted msgids that have no (or an empty) translation in ``catalog``."""
    missing = []
    for key in sorted(extracted):
        value = catalog.get(key, catalog.get((key, 0)))
        if not value:
            missing.append(key.replace("\x04", " | "))
    return missing


def test_the_checker_finds_a_msgid_without_translation(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Save"\nmsgstr "Lagre"\n\n'
        '#, fuzzy\nmsgid "Theme"\nmsgstr "Tema"\n\n'
        'msgctxt "file name"\nmsgid "measures"\nmsgstr ""\n\n'
        'msgid "%(n)s hit"\nmsgid_plural "%(n)s hits"\nmsgstr[0] "%(n)s treff"\n'
        'msgstr[1] "%(n)s treff"\n',
        encoding="utf-8",
    )
    if not shutil.which("msgfmt"):
        pytest.skip("gettext tools (msgfmt) are not installed")
    catalog = translated_catalog(po, tmp_path)
    extracted = extracted_msgids(po.read_text(encoding="utf-8"))
    assert extracted == {"Save", "Theme", "file name\x04measures", "%(n)s hit"}
    assert untranslated(extracted, catalog) == ["Theme", "file name | measures"]


def test_every_message_in_code_and_templates_has_a_bokmal_translation(tmp_path):
    if not (shutil.which("xgettext") and shutil.which("msgfmt")):
        pytest.skip("gettext tools (xgettext, msgfmt) are not installed: apt-get install gettext")
    copy = tmp_path / "bsbstudio"
    shutil.copytree(
        PACKAGE, copy, ignore=shutil.ignore_patterns("var", "node_modules", "__pycache__")
    )
    for stale in (copy / "locale" / "nb" / "LC_MESSAGES").glob("django.*"):
        stale.unlink()
    # Without settings, makemessages writes to the copy's own locale folder, never the repo's.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "nb", "-i", "var/*"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    extracted = extracted_msgids(
        (copy / "locale" / "nb" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    )
    assert len(extracted) > 1000  # the extraction really ran over the code and templates
    missing = untranslated(extracted, translated_catalog(PO_FILE, tmp_path))
    assert not missing, f"{len(missing)} messages have no bokmål translation: {missing}"


# --- Pages in bokmål --------------------------------------------------------------------------
class VisibleText(HTMLParser):
    """The text a person sees or hears: content, labels for screen readers, button values."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "style", "template"):
            self._hidden += 1
        for name in ("title", "aria-label", "placeholder", "alt"):
            if attributes.get(name):
                self.parts.append(attributes[name])
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        return " ".join(" ".join(parser.parts).split())


@pytest.fixture
def rich_evaluation(evaluation, transcript_text, django_user_model):
    """The shared evaluation with a transcript, a conference and a measure, dated in May and December."""
    from bsbstudio.conference.models import DialogueConference
    from bsbstudio.followup.models import Measure
    from bsbstudio.transcripts.actions import import_transcript
    from bsbstudio.transcripts.engine import parse_text

    leader = django_user_model.objects.get(username="process_leader")
    interview = evaluation.interviews.get(code="FG1")
    interview.date = datetime.date(2026, 5, 12)
    interview.save()
    transcript = import_transcript(
        leader, interview, parse_text(transcript_text, "fg1.txt"), "fg1.txt"
    )
    conference = DialogueConference.objects.create(
        evaluation=evaluation, title="Dialogkonferanse Nord", date=datetime.date(2026, 12, 1)
    )
    measure = Measure.objects.create(
        evaluation=evaluation, text="Ringe tilbake samme dag", due=datetime.date(2026, 12, 1)
    )
    return evaluation, interview, transcript, conference, measure


def key_pages(evaluation, interview, transcript, conference, measure) -> list[str]:
    slug = evaluation.slug
    return [
        reverse("evaluations:dashboard", args=[slug]),
        reverse("evaluations:plan", args=[slug]),
        reverse("guide:grid", args=[slug]),
        reverse("guide:structure", args=[slug]),
        reverse("fieldwork:interviews", args=[slug]),
        reverse("fieldwork:informants", args=[slug]),
        reverse("fieldwork:sampling", args=[slug]),
        reverse("fieldwork:interview", args=[slug, interview.pk]),
        reverse("transcripts:list", args=[slug]),
        reverse("deid:review", args=[slug, transcript.pk]),
        reverse("analysis:matrix", args=[slug]),
        reverse("reports:list", args=[slug]),
        reverse("conference:list", args=[slug]),
        reverse("conference:detail", args=[slug, conference.pk]),
        reverse("followup:list", args=[slug]),
        reverse("followup:detail", args=[slug, measure.pk]),
        reverse("exchange:page", args=[slug]),
    ]


def test_key_pages_in_bokmal_show_no_english_words_and_no_capitalised_months(
    rich_evaluation, client_as
):
    client = client_as("process_leader")
    problems = []
    for url in key_pages(*rich_evaluation):
        response = client.get(url)
        assert response.status_code == 200, url
        text = VisibleText.of(response.content.decode())
        for match in ENGLISH.finditer(text):
            problems.append(
                f"{url}: {match.group(0)!r} in …{text[max(0, match.start() - 40) : match.end() + 40]}…"
            )
        for match in CAPITALISED_MONTH.finditer(text):
            if match.group(1) != match.group(1).lower():
                problems.append(f"{url}: capitalised month {match.group(0)!r}")
    assert not problems, "\n".join(problems)


def test_the_checks_see_english_and_capitalised_months():
    text = VisibleText.of('<p>Parent</p><button aria-label="Save">x</button><p>12. Mai 2026</p>')
    assert {m.group(0) for m in ENGLISH.finditer(text)} == {"Parent", "Save"}
    assert [m.group(0) for m in CAPITALISED_MONTH.finditer(text)] == ["12. Mai"]
    assert not ENGLISH.search(VisibleText.of("<p>Status: Plan, Total 3, e-post</p>"))


# --- Dates -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "day, written",
    [
        (datetime.date(2026, 5, 12), "12. mai 2026"),
        (datetime.date(2026, 12, 1), "1. desember 2026"),
    ],
)
def test_dates_are_written_with_lower_case_months(day, written):
    with translation.override("nb"):
        assert formats.date_format(day) == written
        moment = datetime.datetime(day.year, day.month, day.day, 9, 5)
        assert formats.date_format(moment, "DATETIME_FORMAT") == f"{written} 09:05"


def test_templates_write_dates_only_in_the_named_formats():
    """ "j. M Y" gave "12. Mai" (Django capitalises M) beside "12. mai" from "j. F Y"."""
    pattern = re.compile(r"\|date:\"([^\"]*)\"")
    wrong = []
    for template in sorted(PACKAGE.rglob("templates/**/*.html")):
        for fmt in pattern.findall(template.read_text(encoding="utf-8")):
            if not re.fullmatch(r"[A-Z_]+_FORMAT", fmt) and re.search(r"[MbEFN]", fmt):
                wrong.append(f"{template.relative_to(PACKAGE)}: {fmt}")
    assert not wrong, wrong


def test_interview_and_measure_dates_in_may_and_december_are_lower_case(rich_evaluation, client_as):
    evaluation, interview, _transcript, _conference, measure = rich_evaluation
    client = client_as("process_leader")
    interviews = VisibleText.of(
        client.get(reverse("fieldwork:interviews", args=[evaluation.slug])).content.decode()
    )
    assert "12. mai 2026" in interviews
    measures = VisibleText.of(
        client.get(reverse("followup:list", args=[evaluation.slug])).content.decode()
    )
    assert "1. desember 2026" in measures
    assert "Des" not in measures


# --- Plurals -----------------------------------------------------------------------------------
@pytest.mark.parametrize("n, word", [(1, "1 forekomst ble"), (2, "2 forekomster ble")])
def test_hidden_mentions_are_counted_with_the_right_plural(n, word):
    from django.utils.translation import ngettext

    with translation.override("nb"):
        message = ngettext(
            "%(n)d mention was marked to hide, and the name was added to the list.",
            "%(n)d mentions were marked to hide, and the name was added to the list.",
            n,
        ) % {"n": n}
    assert message.startswith(word)


@pytest.mark.parametrize(
    "word, shown", [("respekt", "1 forekomst ble"), ("teamet", "2 forekomster ble")]
)
def test_hiding_a_missed_word_counts_its_mentions_in_bokmal(
    evaluation, client_as, transcript_text, user, word, shown
):
    from bsbstudio.deid.models import ProtectedTerm
    from bsbstudio.transcripts.actions import import_transcript
    from bsbstudio.transcripts.engine import parse_text

    transcript = import_transcript(
        user("process_leader"),
        evaluation.interviews.get(code="FG1"),
        parse_text(transcript_text, "fg1.txt"),
        "fg1.txt",
    )
    response = client_as("process_leader").post(
        reverse("deid:review", args=[evaluation.slug, transcript.pk]),
        {"add_name": "1", "text": word, "kind": ProtectedTerm.Kind.choices[0][0]},
        follow=True,
    )
    messages = " ".join(str(m) for m in response.context["messages"])
    assert shown in messages, messages


def test_a_theme_with_one_quote_is_covered_by_one_quote():
    from bsbstudio.reports.engine.final_report import experiences_draft

    one = experiences_draft({"Brukere": 1}, {"Nord": 1}, {"positive": 1}, "nb")
    assert "ett sitat" in one and "1 sitater" not in one
    assert "Positive: 1, kritiske: 0" in one
    two = experiences_draft({"Brukere": 2}, {"Nord": 2}, {"critical": 2}, "nb")
    assert "2 sitater" in two


# --- Names of things (the audit log names the kind of object) ----------------------------------
def test_every_model_has_a_translated_name():
    from django.apps import apps
    from django.utils.functional import Promise

    plain = [
        model.__name__
        for model in apps.get_models()
        if model.__module__.startswith("bsbstudio")
        # the audit chain's head is never shown: it only holds the last hash
        and model.__name__ != "AuditChainHead"
        and not isinstance(model._meta.verbose_name, Promise)
    ]
    assert not plain, plain


def test_the_audit_log_names_analysis_objects_in_bokmal():
    from bsbstudio.accounts.audit_views import object_label

    with translation.override("nb"):
        assert object_label("analysis.codegroup") == "Kodegruppe"
        assert object_label("analysis.displayitem") == "Punkt i firefeltsfiguren"


# --- File names --------------------------------------------------------------------------------
def _file_name(response) -> str:
    return re.search(r'filename="([^"]+)"', response["Content-Disposition"]).group(1)


def test_downloads_are_named_in_bokmal(evaluation, client_as):
    client = client_as("process_leader")
    slug = evaluation.slug
    names = {
        "followup": _file_name(client.get(reverse("followup:export", args=[slug]))),
        "audit": _file_name(client.get(reverse("evaluations:audit_csv", args=[slug]))),
        "guide": _file_name(client.get(reverse("guide:download", args=[slug, "docx"]))),
        "matrix": _file_name(client.get(reverse("reports:export_matrix", args=[slug]))),
    }
    assert names == {
        "followup": "tiltak-test.xlsx",
        "audit": "endringslogg-test.csv",
        "guide": "temaguide-test-utkast.docx",
        "matrix": "matrise-test.xlsx",
    }


def test_downloads_follow_the_persons_language(evaluation, as_user):
    client = as_user("process_leader", "en")
    response = client.get(reverse("followup:export", args=[evaluation.slug]))
    assert _file_name(response) == "measures-test.xlsx"


# --- One word for one action -------------------------------------------------------------------
def test_switching_language_and_changing_a_theme_use_different_words(evaluation, client_as):
    client = client_as("process_leader")
    html = client.get(reverse("guide:structure", args=[evaluation.slug])).content.decode()
    language_form = re.search(r'<form[^>]*class="language-form".*?</form>', html, re.S).group(0)
    assert "Bytt språk" in language_form
    with translation.override("nb"):
        assert translation.gettext("Change") == "Endre"
        assert translation.gettext("Switch language") == "Bytt språk"

"""The main forms, posted random data as the process leader: never a 500, and a refusal changes nothing.

The forms are read from the pages themselves (plan, guide grid and themes, interviews, one
interview with its participants and consent forms, informants, transcript upload, the
de-identification review, the coding page, memos, conferences, measures), so a field added to a
page is fuzzed without editing this test. Each example keeps, drops or spoils every field (NUL,
100,000 characters, huge numbers, lists where one value is expected, a file where text is) and
posts it. The answer must be below 500; when it is a refusal (4xx, or the page again with a
form error or an error message) every table must hold exactly what it held before: no row
added, removed or changed. Each example runs in a savepoint that is rolled back.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.contrib.messages import constants
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms import BaseForm, BaseFormSet
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from .profile import FORMS

#: Tables that change on every request or log-in, whatever the form did.
VOLATILE = {"sessions", "axes", "otp_totp", "otp_static"}
HUGE = "å" * 100_000
NASTY = ["", " ", HUGE, "a\x00b", "\x00", "9" * 5000, str(10**30), "-1", "0", "1.5", "NaN",
         "2026-02-30", "25:99", "<b>x</b>", "' OR 1=1 --", "\ud800".encode("utf-8", "surrogatepass")
         .decode("utf-8", "replace"), "D1: Hei.\nI: Hallo."]  # fmt: skip


class Forms(HTMLParser):
    """The POST forms of a page: action and {field name: (kind, values seen)}."""

    def __init__(self, url: str):
        super().__init__()
        self.url, self.forms, self._form = url, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = None
            if (attrs.get("method") or "get").lower() == "post":
                action = urlsplit(urljoin(self.url, attrs.get("action") or self.url)).path
                self._form = (action, defaultdict(lambda: ["text", set()]))
                self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "textarea", "button"):
            name = attrs.get("name")
            if name and name != "csrfmiddlewaretoken":
                field = self._form[1][name]
                field[0] = attrs.get("type", tag)
                if attrs.get("value") is not None:
                    field[1].add(attrs["value"])
        elif self._form is not None and tag == "option" and self._form[1]:
            last = next(reversed(self._form[1].values()))
            last[1].add(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


@pytest.fixture
def forms_world(evaluation, client_as, transcript_text, settings, tmp_path):
    """The fixture's evaluation with a de-identified text, a memo, a conference and a measure."""
    from bsbstudio.conference.models import ConferenceGroup, DialogueConference
    from bsbstudio.followup.models import Measure

    settings.RECORDINGS_ROOT = tmp_path / "recordings"
    settings.MEDIA_ROOT = tmp_path / "media"
    leader = client_as("process_leader")
    slug = evaluation.slug
    interview = evaluation.interviews.get(code="FG1")
    leader.post(reverse("transcripts:upload", args=[slug, interview.pk]), {"text": transcript_text})
    transcript = interview.transcripts.get()
    north = evaluation.sites.get(name="Nord")
    conference = DialogueConference.objects.create(
        evaluation=evaluation, site=north, title="Dialogkonferanse Nord"
    )
    ConferenceGroup.objects.create(conference=conference, name="Gruppe 1")
    measure = Measure.objects.create(evaluation=evaluation, site=north, text="Kortere ventetid")
    pages = [
        reverse("evaluations:plan", args=[slug]),
        reverse("guide:grid", args=[slug]),
        reverse("guide:structure", args=[slug]),
        reverse("fieldwork:interviews", args=[slug]),
        reverse("fieldwork:interview", args=[slug, interview.pk]),
        reverse("fieldwork:informants", args=[slug]),
        reverse("deid:review", args=[slug, transcript.pk]),
        reverse("analysis:memos", args=[slug]),
        reverse("conference:list", args=[slug]),
        reverse("conference:detail", args=[slug, conference.pk]),
        reverse("followup:list", args=[slug]),
        reverse("followup:edit", args=[slug, measure.pk]),
    ]
    # The review's own form makes the de-identified text; its coding page comes after.
    leader.post(pages[6], {"confirm_rest": "1", "create_text": "1"})
    text = transcript.deidentified_texts.get()
    pages.append(reverse("analysis:text", args=[slug, text.pk]))
    found = []
    for page in pages:
        response = leader.get(page)
        assert response.status_code == 200, page
        parser = Forms(page)
        parser.feed(response.content.decode())
        found += [(action, dict(fields)) for action, fields in parser.forms]
    # Log-out and language forms are on every page; they are not the forms under test.
    found = [f for f in found if not f[0].startswith(("/accounts/", "/i18n/", "/language"))]
    assert len({action for action, _ in found}) >= 12, sorted({a for a, _ in found})
    return evaluation, found


def value(kind: str, seen: set[str]):
    one = st.one_of(
        st.sampled_from(sorted(seen)) if seen else st.nothing(),
        st.integers(0, len(NASTY) - 1).map(NASTY.__getitem__),
        st.text(max_size=20),
        st.integers(-(10**20), 10**20).map(str),
    )
    upload = st.tuples(
        st.sampled_from(["a.txt", "b.docx", "c.wav", "x" * 300]),
        st.sampled_from([b"", b"D1: Hei.\n", b"PK\x03\x04broken", b"\x00\xff" * 50]),
    )
    if kind == "file":
        return st.one_of(upload, one)
    return st.one_of(one, one, st.lists(one, min_size=2, max_size=3), upload)


@st.composite
def form_data(draw, found):
    action, fields = draw(st.sampled_from(found))
    data = {}
    for name, (kind, seen) in sorted(fields.items()):
        if draw(st.integers(0, 4)) == 0:
            continue  # a missing field
        data[name] = draw(value(kind, seen))
    return action, data


def snapshot() -> dict[str, str]:
    """A digest of every table's rows, volatile ones left out."""
    digest = {}
    for model in apps.get_models():
        if model._meta.app_label in VOLATILE:
            continue
        rows = model.objects.order_by("pk").values_list()
        digest[model._meta.label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return digest


def refused(response) -> bool:
    """Whether the answer says no: a 4xx, or the page again with an error on it."""
    if 400 <= response.status_code < 500:
        return True
    if response.status_code != 200 or response.context is None:
        return False
    for context in response.context:
        for item in context.flatten().values() if hasattr(context, "flatten") else ():
            if isinstance(item, BaseForm) and item.is_bound and item.errors:
                return True
            if isinstance(item, BaseFormSet) and item.is_bound and not item.is_valid():
                return True
    messages = getattr(response, "wsgi_request", None)
    stored = getattr(messages, "_messages", None)
    return any(m.level >= constants.ERROR for m in getattr(stored, "_queued_messages", []))


def materialise(item):
    if isinstance(item, list):
        return [materialise(i) for i in item]
    if isinstance(item, tuple):
        return SimpleUploadedFile(item[0], item[1])
    return item


def test_main_forms_never_answer_500_and_a_refusal_changes_nothing(forms_world, client_as):
    evaluation, found = forms_world
    client = client_as("process_leader")
    client.raise_request_exception = False
    seen_refusals = defaultdict(int)

    @FORMS
    @given(request=form_data(found))
    def post(request):
        action, data = request
        data = {name: materialise(item) for name, item in data.items()}
        with transaction.atomic():
            before = snapshot()
            response = client.post(action, data)
            after = snapshot()
            transaction.set_rollback(True)
        assert response.status_code < 500, (action, sorted(data), response.status_code)
        if refused(response):
            seen_refusals[action] += 1
            changed = sorted(label for label in before if before[label] != after.get(label))
            assert not changed, f"POST {action} was refused but changed {changed}"

    post()
    assert seen_refusals, "no example was refused: the test checked nothing"

"""No form of the app answers with a server error, whatever is posted to it (issue 8, hole 7).

The forms are found, not listed by hand: every URL pattern comes from Django's resolver; the pages
are crawled as the process leader (who may do everything and has signed the declaration), which
gives each pattern real ids (from the links and form actions on the pages) and the field names of
every form aimed at it. Hypothesis then sends random, oversized and malformed values under those
names, plus random extra fields, to each pattern, and every answer must be below 500.

Each request runs in a savepoint that is rolled back, so no example changes what the next one
finds: a delete form can be tried again and again on the fixture's own objects.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import wave
import zipfile
from collections import defaultdict
from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import quote, urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

# Django's own admin is left out: the process leader is no staff member (it answers a redirect to
# its log-in) and it holds hundreds of patterns; its hardening is tested with the admin.
SKIPPED_NAMESPACES = {"admin"}
# Random examples per pattern, after the fixed ones (see ``spoilers``); raise it for a deeper run.
EXAMPLES_PER_PATTERN = int(os.environ.get("BSB_FUZZ_EXAMPLES", "6"))
PAGES_PER_PATTERN = 2  # how many concrete URLs of one pattern the crawl opens

HUGE = "x" * 100_000
NASTY_VALUES = [
    "",
    " ",
    HUGE,
    "ø" * 100_000,
    "9" * 5000,
    str(10**30),
    str(-(10**30)),
    str(2**63),
    "-1",
    "0",
    "1e309",
    "NaN",
    "²",
    "١٢",
    "0x10",
    "\x00",
    "a\x00b",
    "null",
    "<script>alert(1)</script>",
    "%",
    "_%_",
    "' OR 1=1 --",
    "../../etc/passwd",
    "2026-02-30",
    "9999-12-31",
    "yes",
    "on",
]
FILE_NAMES = [
    "opptak.wav",
    "intervju.docx",
    "tekst.txt",
    "../../x.odt",
    "æøå.mp3",
    "x" * 300,
    "prosjekt.qdpx",
]


def _wav() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 800)
    return buffer.getvalue()


def _qdpx() -> bytes:
    """A small REFI-QDA project (one text, one code), so the exchange import gets past the upload."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "project.qde",
            '<Project xmlns="urn:QDA-XML:project:1.0" name="p"><CodeBook><Codes>'
            '<Code guid="11111111-1111-1111-1111-111111111111" name="Tilgang" isCodable="true"/>'
            '</Codes></CodeBook><Sources><TextSource guid="22222222-2222-2222-2222-222222222222" '
            'name="t" plainTextPath="internal://t.txt"/></Sources></Project>',
        )
        archive.writestr("sources/t.txt", "D1: Hei på deg.\n")
    return buffer.getvalue()


FILE_CONTENTS = [
    b"",
    _wav(),
    _qdpx(),
    b"ID3\x04\x00\x00\x00\x00\x00\x00",
    b"PK\x03\x04" + b"\x00" * 30,
    "D1: Hei på deg.\nD2: Hei.\n".encode(),
    b"\x00\xff" * 100,
]


# --- The URL patterns, from the resolver -----------------------------------------------------


DIGITS = re.compile(r"\d+")
PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def url_patterns(patterns=None, prefix: str = "") -> list[str]:
    """Every route of the app (``e/<slug:slug>/analysis/text/<int:pk>/``), admin left out."""
    routes = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if not isinstance(entry.pattern, RoutePattern):
            # A regular-expression pattern cannot be filled in generically: say so, loudly.
            raise AssertionError(f"extend this test for the regex pattern {entry.pattern}")
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.namespace not in SKIPPED_NAMESPACES:
                routes += url_patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            routes.append(route)
    return routes


def fill(route: str, values: dict[str, str]) -> str:
    """The URL of a route with its parameters filled in."""
    return "/" + PARAM.sub(lambda m: str(values[m["name"]]), route)


def route_of(url: str) -> tuple[str, dict] | None:
    """The route a local URL resolves to and its parameters (None for other URLs)."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.route, match.kwargs


# --- Reading forms and links from HTML --------------------------------------------------------


class Page(HTMLParser):
    """Links and forms of one HTML page; a form is its method, action, fields and their kinds."""

    def __init__(self, url: str):
        super().__init__()
        self.url = url
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._by_id: dict[str, dict] = {}
        # (the form or its id, field name, kind, values seen)
        self._fields: list[tuple[dict | str | None, str, str, set]] = []

    def handle_starttag(self, tag, attrs):
        """Collect hrefs, forms and their named fields."""
        attrs = dict(attrs)
        for attr in ("href", "hx-get", "hx-post"):
            if attrs.get(attr):
                self.links.append(urljoin(self.url, attrs[attr]))
        if tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": urljoin(self.url, attrs.get("action") or self.url),
                "fields": defaultdict(set),
                "kinds": {},
            }
            self.forms.append(self._form)
            self._by_id[attrs.get("id", "")] = self._form
        elif tag == "option" and self._fields and self._fields[-1][2] == "select":
            self._fields[-1][3].add(attrs.get("value") or "")
        elif tag in ("input", "select", "textarea", "button") and attrs.get("name"):
            # A field may stand outside its form and name it (form="guide-rename-3").
            owner = attrs.get("form") or self._form
            values = {attrs["value"]} if attrs.get("value") is not None else set()
            self._fields.append((owner, attrs["name"], attrs.get("type", tag), values))

    def handle_endtag(self, tag):
        """A form ends."""
        if tag == "form":
            self._form = None

    def close(self):
        """Give each field to its form, now that every form id is known."""
        super().close()
        for owner, name, kind, values in self._fields:
            form = self._by_id.get(owner) if isinstance(owner, str) else owner
            if form is not None:
                form["kinds"][name] = kind
                form["fields"][name] |= values


# --- The world: an evaluation with one of each kind of object ---------------------------------


@pytest.fixture
def leader(evaluation, client_as):
    """The process leader's client; a server error comes back as a 500 answer, not an exception."""
    client = client_as("process_leader")
    client.raise_request_exception = False
    return client


@pytest.fixture
def world(evaluation, leader, transcript_text, settings, tmp_path):
    """The fixture's evaluation taken through the circle, so that every page has objects to show."""
    settings.RECORDINGS_ROOT = tmp_path / "recordings"
    settings.MEDIA_ROOT = tmp_path / "media"
    slug = evaluation.slug
    interview = evaluation.interviews.get(code="FG1")
    interview.date = timezone.localdate() - datetime.timedelta(days=3)
    interview.save(update_fields=["date"])
    leader.post(
        reverse("fieldwork:recording_upload", args=[slug, interview.pk]),
        {"audio": SimpleUploadedFile("opptak.wav", FILE_CONTENTS[1], "audio/wav")},
    )
    # A second interview without a recording, so that its page shows the upload form.
    leader.post(
        reverse("fieldwork:interviews", args=[slug]),
        {"code": "EI2", "kind": "individual", "date": interview.date.isoformat()},
    )
    leader.post(
        reverse("fieldwork:sampling", args=[slug]),
        {"attribute": "group", "value": "B", "target": "2"},
    )
    themes, groups = list(evaluation.themes.all()), list(evaluation.informant_groups.all())
    leader.post(
        reverse("guide:grid", args=[slug]),
        {f"q_{t.pk}_{g.pk}": f"Hva med {t.name}?" for t in themes for g in groups},
    )
    leader.post(reverse("transcripts:upload", args=[slug, interview.pk]), {"text": transcript_text})
    transcript = interview.transcripts.get()
    leader.post(
        reverse("deid:review", args=[slug, transcript.pk]),
        {"confirm_rest": "1", "create_text": "1"},
    )
    text = transcript.deidentified_texts.get()
    leader.post(reverse("transcripts:approve", args=[slug, text.pk]))
    leader.post(
        reverse("analysis:text", args=[slug, text.pk]),
        {
            "code": evaluation.codes.first().pk,
            "quote": "ble jeg møtt med respekt",
            "polarity": "positive",
            "directness": "direct",
        },
    )
    leader.post(reverse("analysis:text", args=[slug, text.pk]), {"new_code": "Humor"})
    leader.post(reverse("reports:create", args=[slug, evaluation.sites.get(name="Nord").pk]))
    # The crawl is only as good as what there is to find: check that the circle went round.
    assert interview.recordings.exists()
    assert evaluation.interviews.filter(code="EI2").exists()
    assert evaluation.sampling_criteria.exists()
    assert text.coded_segments.exists()
    assert evaluation.reports.exists()
    return evaluation


def crawl(client) -> tuple[dict, dict, list]:
    """Open the app's pages from the top; return concrete URLs and forms per route, and errors."""
    urls: dict[str, set[str]] = defaultdict(set)
    forms: dict[str, list[dict]] = defaultdict(list)
    errors = []
    opened: dict[str, int] = defaultdict(int)
    queue = [fill(r, {"slug": "test"}) for r in url_patterns() if set(_params(r)) <= {"slug"}]
    seen = set(queue)
    while queue:
        url = queue.pop(0)
        found = route_of(url)
        if found is None or opened[found[0]] >= PAGES_PER_PATTERN:
            continue
        opened[found[0]] += 1
        urls[found[0]].add(url)
        with transaction.atomic():
            response = client.get(url)
            transaction.set_rollback(True)
        if response.status_code >= 500:
            errors.append(f"GET {url} -> {response.status_code}: {_exception(response)}")
        if "html" not in response.get("Content-Type", ""):
            continue
        page = Page(url)
        page.feed(response.content.decode())
        page.close()
        for form in page.forms:
            target = route_of(form["action"])
            if target is not None:
                forms[target[0]].append(form)
                urls[target[0]].add(urlsplit(form["action"]).path)
        for link in page.links:
            path = urlsplit(link).path
            if link.startswith(("http://testserver/", "/")) and path not in seen:
                seen.add(path)
                queue.append(path)
    return urls, forms, errors


def _params(route: str) -> dict[str, str]:
    return {m["name"]: m["converter"] or "str" for m in PARAM.finditer(route)}


def _exception(response) -> str:
    if not response.exc_info:
        return "(no exception recorded)"
    _type, value, traceback = response.exc_info
    while traceback.tb_next:
        traceback = traceback.tb_next
    where = f"{traceback.tb_frame.f_code.co_filename}:{traceback.tb_lineno}"
    return f"{_type.__name__}: {str(value)[:300]} at {where}"


def _short(data) -> str:
    def cut(value):
        if isinstance(value, list):
            return [cut(v) for v in value]
        if isinstance(value, SimpleUploadedFile):
            return f"<file {value.name[:40]!r}, {value.size} bytes>"
        text = str(value)
        return text if len(text) < 60 else f"{text[:20]!r}... ({len(text)} characters)"

    if isinstance(data, RawBody):
        return f"{data.content_type} body {data.body[:80]!r}"
    return repr({cut(k): cut(v) for k, v in data.items()})


# --- The strategies ---------------------------------------------------------------------------


def nasty():
    """One of NASTY_VALUES, drawn by index: hypothesis need not print 100,000 characters."""
    return st.integers(0, len(NASTY_VALUES) - 1).map(NASTY_VALUES.__getitem__)


def scalar(known: list[str]):
    """One form value: a value seen on the page, a known id, or something malformed."""
    return st.one_of(
        st.sampled_from(known) if known else st.nothing(),
        nasty(),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.text(max_size=30),
    )


class RawBody(NamedTuple):
    """A body sent as it is, whatever its content type claims."""

    body: bytes
    content_type: str


CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "multipart/form-data; boundary=xyz",
    "application/json",
    "text/plain",
]


class FileSpec(NamedTuple):
    """A file to upload: its name and content."""

    name: str
    content: bytes


def uploaded_file():
    return st.builds(FileSpec, st.sampled_from(FILE_NAMES), st.sampled_from(FILE_CONTENTS))


def field_value(kind: str, known: list[str]):
    """A field's value: one value, several (a list where one is expected), or a file or two."""
    one = scalar(known)
    if kind == "file":
        return st.one_of(uploaded_file(), st.lists(uploaded_file(), min_size=2, max_size=2), one)
    return st.one_of(one, st.lists(one, min_size=2, max_size=3))


def request_data(fields: dict[str, set], kinds: dict[str, str], ids: list[str]):
    """A form's data: each known field kept, dropped or spoiled, plus random extra fields."""
    keep = st.booleans()
    per_field = {
        name: st.tuples(keep, field_value(kinds.get(name, "text"), sorted(values) + ids))
        for name, values in fields.items()
    }
    numbered = sorted(name for name in fields if DIGITS.search(name))
    key = st.one_of(
        st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20),
        # A known name with another id in it (decision_7 -> decision_10**30): ids hide in names.
        st.tuples(
            st.sampled_from(numbered) if numbered else st.nothing(),
            st.one_of(st.sampled_from(ids), nasty(), st.integers()),
        ).map(lambda pair: DIGITS.sub(str(pair[1]), pair[0], count=1)),
    )
    extra = st.dictionaries(key, field_value("text", ids), max_size=3)
    form = st.tuples(st.fixed_dictionaries(per_field), extra).map(
        lambda pair: {
            **pair[1],
            **{name: value for name, (kept, value) in pair[0].items() if kept},
        }
    )
    raw = st.builds(RawBody, st.binary(max_size=300), st.sampled_from(CONTENT_TYPES))
    return st.one_of(form, form, form, raw)


def url_for(route: str, found: set[str], ids: list[str]):
    """A concrete URL of the route: one the crawl found, or one filled with ids and random ints."""
    params = _params(route)
    if not params:
        return st.just(fill(route, {}))
    by_kind = {
        "int": st.one_of(
            st.sampled_from([i for i in ids if i.isdigit()] or ["1"]),
            st.integers(min_value=0, max_value=10**30),
        ),
        "slug": st.sampled_from(["test", "docx", "odt", "pdf", "nope"]),
    }
    made = st.fixed_dictionaries(
        {
            name: (
                st.just("test")
                if name == "slug"
                else by_kind.get(kind, st.text("abc-", min_size=1))
            )
            for name, kind in params.items()
        }
    ).map(lambda values: fill(route, values))
    return st.one_of(st.sampled_from(sorted(found)), made) if found else made


# --- The test ---------------------------------------------------------------------------------


# The fixed examples hold 100,000-character values on purpose; hypothesis warns when it prints them.
@pytest.mark.filterwarnings("ignore:Generating overly large repr")
def test_no_form_answers_a_server_error(world, leader, client_as):
    urls, forms, errors = crawl(leader)
    assert {"e/<slug:slug>/analysis/text/<int:pk>/", "e/<slug:slug>/plan/"} <= set(forms), (
        "the crawl found too few forms"
    )
    ids = sorted(
        {str(v) for found in urls.values() for u in found for v in route_of(u)[1].values()}
    )
    for route in url_patterns():
        fields, kinds, methods = defaultdict(set), {}, set()
        for form in forms.get(route, []):
            methods.add(form["method"])
            kinds.update(form["kinds"])
            for name, values in form["fields"].items():
                fields[name] |= values
        fields.pop("csrfmiddlewaretoken", None)
        try:
            check_route(client_as, route, urls.get(route, set()), fields, kinds, methods, ids)
        except Exception as error:  # an assertion, or hypothesis saying it could not replay one
            errors.append(f"{route}: {type(error).__name__}: {str(error).splitlines()[0]}")
    assert not errors, "server errors:\n" + "\n".join(errors)


def check_route(client_as, route, found, fields, kinds, methods, ids) -> None:
    """Send the spoilers (by the methods of its forms), then random requests, to one route."""

    @settings(
        max_examples=EXAMPLES_PER_PATTERN,
        # The same examples on every run, so CI is repeatable; BSB_FUZZ_EXAMPLES explores more.
        derandomize=os.environ.get("BSB_FUZZ_EXAMPLES") is None,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: it replays slow requests
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(
        url=url_for(route, found, ids),
        method=st.sampled_from(["get", "post"]),
        data=request_data(fields, kinds, ids),
        headers=st.fixed_dictionaries(
            {},
            optional={
                "HX-Request": st.just("true"),
                "Range": st.one_of(
                    st.sampled_from(["bytes=0-", "bytes=-1", "bytes=9-3", "bytes=0-1,3-4"]),
                    nasty().map("bytes={}-".format),
                    st.text(max_size=20),
                ),
            },
        ),
    )
    def no_server_error(url, method, data, headers):
        if isinstance(data, RawBody):
            send = {"data": data.body, "content_type": data.content_type}
            method = "post"
        else:
            data = {key: _materialise(value) for key, value in data.items()}
            if method == "get":
                data = {key: value for key, value in data.items() if not _has_file(value)}
            send = {"data": data}
        with transaction.atomic():
            client = client_as("process_leader")
            client.raise_request_exception = False
            response = getattr(client, method)(url, headers=headers, **send)
            transaction.set_rollback(True)
        assert response.status_code < 500, (
            f"{method.upper()} {url} {_short(data)} {_short(headers)} -> {response.status_code}: "
            f"{_exception(response)}"
        )

    if fields:  # then a form aims at the route, so the crawl found a URL of it
        url = sorted(found)[0]
        for method in methods:
            for spoiled in spoilers(fields, kinds):
                no_server_error = example(url=url, method=method, data=spoiled, headers={})(
                    no_server_error
                )
    no_server_error()


def spoilers(fields: dict[str, set], kinds: dict[str, str]) -> list[dict]:
    """The same bad value in every field at once: each kind of malformed input, every time."""
    every = [
        {name: value for name in fields}
        for value in (HUGE, "9" * 5000, str(10**30), "-1", "a\x00b", "²")
    ]
    first = {name: sorted(values)[0] if values else "x" for name, values in fields.items()}
    every.append({name: [value, "x"] for name, value in first.items()})  # a list for one value
    for number in (str(10**30), "9" * 5000, "x"):  # ids in field names (q_3_4, decision_7)
        every.append({DIGITS.sub(number, name): value for name, value in first.items()})
    # Bytes that are no UTF-8, percent-encoded in a form body.
    every.append(
        RawBody("&".join(f"{quote(n)}=%FF%FE%00" for n in fields).encode(), CONTENT_TYPES[0])
    )
    if "file" in kinds.values():
        two_files = [FileSpec(FILE_NAMES[0], FILE_CONTENTS[1])] * 2
        every.append({**first, **{n: two_files for n, k in kinds.items() if k == "file"}})
    return every


def _materialise(value):
    """Files are described in the examples and made fresh for each request (they are read once)."""
    if isinstance(value, list):
        return [_materialise(v) for v in value]
    if isinstance(value, FileSpec):
        return SimpleUploadedFile(value.name, value.content)
    return value


def _has_file(value) -> bool:
    values = value if isinstance(value, list) else [value]
    return any(isinstance(v, SimpleUploadedFile) for v in values)


# --- What the property test found, pinned ----------------------------------------------------


@pytest.mark.parametrize(
    ("page", "formsets"),
    [
        ("evaluations:plan", {"sites": "site_formset", "goals": "goal_formset"}),
        ("guide:structure", {"themes": "theme_formset", "groups": "group_formset"}),
    ],
)
def test_a_huge_form_count_is_refused_without_building_the_forms(
    evaluation, leader, page, formsets
):
    # TOTAL_FORMS=1000 once kept a worker busy for half a minute; 10**30 is the same, capped.
    data = {"name": "Endret", "slug": "test", "replacement_mode": "placeholder"}
    for prefix in ("sites", "goals", "problems", "themes", "groups"):
        data |= {f"{prefix}-TOTAL_FORMS": str(10**30), f"{prefix}-INITIAL_FORMS": "0"}
    response = leader.post(reverse(page, args=[evaluation.slug]), data)
    assert response.status_code == 200
    assert "Vennligst send inn maks 100 skjemaer." in response.content.decode()
    for name in formsets.values():
        assert len(response.context[name].forms) <= 100
    evaluation.refresh_from_db()
    assert evaluation.name == "Testevaluering"


def test_a_theme_name_with_a_null_character_is_refused(evaluation, leader):
    # PostgreSQL cannot store U+0000: it was a server error there, and silently stored on SQLite.
    theme = evaluation.themes.get(name="Tilgang")
    response = leader.post(
        reverse("guide:theme_rename", args=[evaluation.slug, theme.pk]),
        {"name": "Til\x00gang"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Null-tegn er ikke tillatt." in response.content.decode()
    theme.refresh_from_db()
    assert theme.name == "Tilgang"

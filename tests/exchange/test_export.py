"""REFI-QDA export: the project (.qdpx) and the codebook (.qdc), on the page and on the command line."""

from __future__ import annotations

import datetime
import io
import time
import zipfile

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from bsbstudio.accounts.models import AuditEvent
from bsbstudio.analysis.actions import code_segment, locate_quote, sync_guide_codes, write_memo
from bsbstudio.analysis.models import Code, CodedSegment
from bsbstudio.cli.main import main
from bsbstudio.exchange.codebook_export import build_codebook
from bsbstudio.exchange.guids import guid
from bsbstudio.exchange.qdpx_export import build_project
from bsbstudio.exchange.schema import CODEBOOK_NS, PROJECT_NS, codebook_errors, project_errors
from bsbstudio.fieldwork.models import Informant, Interview, Participation
from bsbstudio.guide.models import Theme
from bsbstudio.reports.exports import COMMAND_LINE
from bsbstudio.transcripts.actions import approve_text
from bsbstudio.transcripts.models import DeidentifiedText

NS = {"q": PROJECT_NS}
RAW_NAME = "Kari Nordmann"
NORD_TRANSCRIPT = (
    "I: Velkommen. Hvordan har det vært å få hjelp fra teamet?\n"
    f"D1: Jeg heter {RAW_NAME}. Altså … det tok lang tid før de kom første gang. Tre måneder.\n"
    "D2: Vi i teamet har for få folk, det er sant.\n"
    "D1: Men når de først kom, ble jeg møtt med respekt. Det betyr mye.\n"
)
SOUTH_TRANSCRIPT = "I: Hvordan var det?\nD1: Det var fint å ha noen å snakke med i Sør.\n"
RESPECT = "ble jeg møtt med respekt"
WAITING = "det tok lang tid før de kom første gang"
SOUTH_QUOTE = "Det var fint å ha noen å snakke med"


def url(name, evaluation, *args):
    return reverse(name, args=[evaluation.slug, *args])


def _deidentify(client, evaluation, interview, text):
    client.post(url("transcripts:upload", evaluation, interview.pk), {"text": text})
    transcript = interview.transcripts.get()
    client.post(
        url("deid:review", evaluation, transcript.pk), {"confirm_rest": "1", "create_text": "1"}
    )
    return transcript.deidentified_texts.get()


def _code(leader, text, code, quote, polarity, directness):
    start, end = locate_quote(text.text, quote)
    return code_segment(leader, text, code, start, end, polarity, directness)


@pytest.fixture
def material(evaluation, as_user, user):
    """Nord: an approved text with two quotes; Sør: an unapproved one; memos on each level."""
    leader = user("process_leader")
    client = as_user("process_leader")
    access = evaluation.themes.get(name="Tilgang")
    Theme.objects.create(
        evaluation=evaluation, name="Første møte", parent=access, order=2, description="Når de kom"
    )
    sync_guide_codes(evaluation)
    access_code = evaluation.codes.get(name="Tilgang")
    waiting = Code.objects.create(
        evaluation=evaluation,
        name="Ventetid",
        kind=Code.Kind.EMERGENT,
        parent=access_code,
        colour="#1f5fa8",
        description="Hvor lenge man venter",
    )
    nord = _deidentify(client, evaluation, evaluation.interviews.get(code="FG1"), NORD_TRANSCRIPT)
    approve_text(leader, nord)
    south_site = evaluation.sites.get(name="Sør")
    south_informant = Informant.objects.create(
        evaluation=evaluation,
        code="B-02",
        group=evaluation.informant_groups.get(code="B"),
        site=south_site,
        gender="kvinne",
        age_band="30–39",
    )
    interview = Interview.objects.create(
        evaluation=evaluation,
        code="FG2",
        kind="focus_group",
        site=south_site,
        date=datetime.date(2026, 3, 2),
    )
    Participation.objects.create(interview=interview, informant=south_informant, speaker_code="D1")
    south = _deidentify(client, evaluation, interview, SOUTH_TRANSCRIPT)
    respect = _code(
        leader, nord, evaluation.codes.get(name="Å bli møtt"), RESPECT, "positive", "direct"
    )
    waited = _code(leader, nord, waiting, WAITING, "critical", "indirect")
    south_quote = _code(leader, south, access_code, SOUTH_QUOTE, "neutral", "direct")
    memos = {
        "segment": write_memo(leader, evaluation, "Sterkt sitat", segment=respect),
        "code": write_memo(leader, evaluation, "Mange venter", code=waiting),
        "text": write_memo(leader, evaluation, "God stemning", deidentified_text=nord),
        "project": write_memo(leader, evaluation, "Husk å sammenligne enhetene"),
    }
    return {
        "nord": nord,
        "south": south,
        "respect": respect,
        "waited": waited,
        "south_quote": south_quote,
        "waiting": waiting,
        "memos": memos,
    }


def _open(content: bytes) -> tuple[zipfile.ZipFile, etree._Element]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    qde = archive.read("project.qde")
    assert qde.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    root = etree.fromstring(qde)
    assert project_errors(root) == []
    return archive, root


def _guid_of(root, tag, name):
    return root.xpath(f"//q:{tag}[@name=$name]/@guid", namespaces=NS, name=name)[0]


def _sources(archive, root) -> dict[str, str]:
    """Each text source's name and the text of its internal file."""
    texts = {}
    for source in root.iterfind(".//q:Sources/q:TextSource", NS):
        path = source.get("plainTextPath")
        assert path == f"internal://{source.get('guid')}.txt"
        texts[source.get("name")] = archive.read(f"sources/{source.get('guid')}.txt").decode()
    return texts


def test_the_project_validates_and_carries_only_de_identified_text(evaluation, material, as_user):
    response = as_user("process_leader").get(url("exchange:qdpx", evaluation))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="test.qdpx"'
    archive, root = _open(response.content)
    assert sorted(n.split("/")[0] for n in archive.namelist()) == [
        "project.qde",
        "sources",
        "sources",
    ]
    sources = _sources(archive, root)
    assert sources == {"FG1": material["nord"].text, "FG2": material["south"].text}
    assert RAW_NAME in NORD_TRANSCRIPT and RAW_NAME not in sources["FG1"]
    for name in archive.namelist():
        assert b"Nordmann" not in archive.read(name)


def test_each_quote_is_one_selection_coded_to_theme_polarity_and_directness(evaluation, material):
    archive, root = _open(build_project(COMMAND_LINE, evaluation))
    texts = {
        s.get("guid"): archive.read(f"sources/{s.get('guid')}.txt").decode()
        for s in root.iterfind(".//q:TextSource", NS)
    }
    names = {c.get("guid"): c.get("name") for c in root.iter(f"{{{PROJECT_NS}}}Code")}
    found = {}
    for source in root.iterfind(".//q:TextSource", NS):
        for selection in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            quote = texts[source.get("guid")][start:end]
            codes = [
                names[c.get("targetGUID")] for c in selection.iterfind("q:Coding/q:CodeRef", NS)
            ]
            assert all(c.get("creatingUser") for c in selection.iterfind("q:Coding", NS))
            found[quote] = codes
    assert found == {
        RESPECT: ["Å bli møtt", "Positiv", "Direkte"],
        WAITING: ["Ventetid", "Kritisk", "Indirekte"],
        SOUTH_QUOTE: ["Tilgang", "Nøytral", "Direkte"],
    }
    # Offsets are code points: "…" before the quote is one position, three bytes in UTF-8.
    waited = material["waited"]
    assert material["nord"].text[waited.start : waited.end] == WAITING


def test_the_code_tree_nests_sub_themes_and_carries_colour_and_description(evaluation, material):
    _archive, root = _open(build_project(COMMAND_LINE, evaluation))
    access = root.xpath("//q:CodeBook/q:Codes/q:Code[@name='Tilgang']", namespaces=NS)[0]
    children = [c.get("name") for c in access.iterfind("q:Code", NS)]
    assert sorted(children) == ["Første møte", "Ventetid"]
    waiting = access.find("q:Code[@name='Ventetid']", NS)
    assert waiting.get("color") == "#1F5FA8"
    assert waiting.findtext("q:Description", namespaces=NS) == "Hvor lenge man venter"
    assert (
        access.find("q:Code[@name='Første møte']", NS).findtext("q:Description", namespaces=NS)
        == "Når de kom"
    )
    for parent, kids in (
        ("Polaritet", ["Positiv", "Kritisk", "Nøytral"]),
        ("Direkthet", ["Direkte", "Indirekte"]),
    ):
        code = root.xpath("//q:Codes/q:Code[@name=$n]", namespaces=NS, n=parent)[0]
        assert code.get("isCodable") == "false"
        assert [c.get("name") for c in code.iterfind("q:Code", NS)] == kids


def test_each_code_has_the_colour_in_the_export_that_the_workbench_shows(
    evaluation, material, as_user
):
    # Codes without a chosen colour take the free palette colours; the chosen blue of
    # "Ventetid" is not free, so a colour by place alone would give a second code blue.
    for order, name in enumerate(["Uten farge 1", "Uten farge 2", "Uten farge 3"]):
        Code.objects.create(
            evaluation=evaluation, name=name, kind=Code.Kind.EMERGENT, order=10 + order
        )
    Code.objects.create(
        evaluation=evaluation, name="Valgt rød", kind=Code.Kind.EMERGENT, colour="#c62828"
    )
    page = as_user("process_leader").get(url("analysis:text", evaluation, material["nord"].pk))
    assert page.status_code == 200
    shown = {}
    for row in lxml.html.fromstring(page.content).find_class("code-row"):
        swatch = row.find_class("swatch")[0].get("style")
        shown[row.find_class("code-name")[0].text_content()] = (
            swatch.split("background-color:")[1].strip().upper()
        )
    _archive, root = _open(build_project(COMMAND_LINE, evaluation))
    exported = {
        c.get("name"): c.get("color")
        for c in root.iter(f"{{{PROJECT_NS}}}Code")
        if c.get("isCodable") != "false" and c.get("color")
    }
    assert set(shown) == set(evaluation.codes.values_list("name", flat=True))
    assert exported == shown
    assert shown["Ventetid"] == "#1F5FA8" and shown["Valgt rød"] == "#C62828"
    automatic = [shown[f"Uten farge {n}"] for n in (1, 2, 3)]
    assert len(set(automatic)) == 3 and not {"#1F5FA8", "#C62828"} & set(automatic)
    # The codebook carries the same colours.
    codebook = etree.fromstring(build_codebook(evaluation))
    assert {
        c.get("name"): c.get("color")
        for c in codebook.iter(f"{{{CODEBOOK_NS}}}Code")
        if c.get("color")
    } == shown


def test_memos_are_notes_referenced_from_their_quote_code_text_and_project(evaluation, material):
    _archive, root = _open(build_project(COMMAND_LINE, evaluation))
    notes = {
        n.get("guid"): n.findtext("q:PlainTextContent", namespaces=NS)
        for n in root.iterfind("q:Notes/q:Note", NS)
    }
    assert sorted(notes.values()) == sorted(m.text for m in material["memos"].values())

    def refs(element):
        return [notes[r.get("targetGUID")] for r in element.iterfind("q:NoteRef", NS)]

    selection = root.xpath(
        "//q:PlainTextSelection[@startPosition=$s]", namespaces=NS, s=str(material["respect"].start)
    )[0]
    assert refs(selection) == ["Sterkt sitat"]
    assert refs(root.xpath("//q:Code[@name='Ventetid']", namespaces=NS)[0]) == ["Mange venter"]
    assert refs(root.xpath("//q:TextSource[@name='FG1']", namespaces=NS)[0]) == ["God stemning"]
    assert refs(root) == ["Husk å sammenligne enhetene"]


def test_users_are_role_and_number_without_usernames_or_email(evaluation, material, user):
    leader = user("process_leader")
    leader.email = "leder@example.org"
    leader.save()
    content = build_project(COMMAND_LINE, evaluation)
    _archive, root = _open(content)
    users = {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", NS)}
    assert "Prosessleder 1" in users.values()
    assert all(u.get("id") is None for u in root.iterfind("q:Users/q:User", NS))
    qde = zipfile.ZipFile(io.BytesIO(content)).read("project.qde").decode()
    assert "@" not in qde and "process_leader" not in qde and "peer_interviewer" not in qde
    creators = set(root.xpath("//@creatingUser"))
    assert creators and creators <= set(users)


def test_informants_are_cases_with_variables_and_sites_and_groups_are_sets(evaluation, material):
    _archive, root = _open(build_project(COMMAND_LINE, evaluation))
    variables = {v.get("guid"): v.get("name") for v in root.iterfind("q:Variables/q:Variable", NS)}
    cases = {}
    for case in root.iterfind("q:Cases/q:Case", NS):
        cases[case.get("name")] = {
            variables[v.find("q:VariableRef", NS).get("targetGUID")]: v.findtext(
                "q:TextValue", namespaces=NS
            )
            for v in case.iterfind("q:VariableValue", NS)
        }
    assert cases["B-02"] == {
        "Informantgruppe": "Brukere",
        "Enhet": "Sør",
        "Kjønn": "kvinne",
        "Aldersgruppe": "30–39",
    }
    assert set(cases) == {"A-01", "B-01", "B-02"}
    b02 = root.xpath("//q:Case[@name='B-02']", namespaces=NS)[0]
    south = _guid_of(root, "TextSource", "FG2")
    assert [r.get("targetGUID") for r in b02.iterfind("q:SourceRef", NS)] == [south]
    selection = root.xpath("//q:TextSource[@name='FG2']/q:PlainTextSelection/@guid", namespaces=NS)
    assert [r.get("targetGUID") for r in b02.iterfind("q:SelectionRef", NS)] == selection
    sets = {
        s.get("name"): [m.get("targetGUID") for m in s.iterfind("q:MemberSource", NS)]
        for s in root.iterfind("q:Sets/q:Set", NS)
    }
    north = _guid_of(root, "TextSource", "FG1")
    assert sets == {"Nord": [north], "Sør": [south], "Brukere": [north, south], "Ansatte": [north]}


def test_a_re_export_is_the_same_file(evaluation, material):
    assert build_project(COMMAND_LINE, evaluation) == build_project(COMMAND_LINE, evaluation)


def test_one_site_holds_its_own_texts_only(evaluation, material, as_user):
    north = evaluation.sites.get(name="Nord")
    response = as_user("process_leader").get(url("exchange:qdpx", evaluation), {"site": north.pk})
    assert response["Content-Disposition"] == 'attachment; filename="test-nord.qdpx"'
    archive, root = _open(response.content)
    assert list(_sources(archive, root)) == ["FG1"]
    assert [s.get("name") for s in root.iterfind("q:Sets/q:Set", NS)] == [
        "Nord",
        "Brukere",
        "Ansatte",
    ]
    assert {c.get("name") for c in root.iterfind("q:Cases/q:Case", NS)} == {"A-01", "B-01"}
    assert AuditEvent.objects.get(action="exchange.qdpx").detail["site"] == "Nord"


def test_a_site_of_another_evaluation_is_a_message(evaluation, material, as_user):
    client = as_user("process_leader")
    response = client.get(url("exchange:qdpx", evaluation), {"site": "999999"}, follow=True)
    assert response.status_code == 200
    assert "That site is not part of this evaluation." in response.content.decode()
    assert not AuditEvent.objects.filter(action="exchange.qdpx").exists()


def test_a_commissioner_gets_approved_texts_and_their_quotes_only(evaluation, material, as_user):
    client = as_user("commissioner")
    page = client.get(url("exchange:page", evaluation)).content.decode()
    assert "approved texts" in page and url("exchange:qdc", evaluation) not in page
    archive, root = _open(client.get(url("exchange:qdpx", evaluation)).content)
    assert list(_sources(archive, root)) == ["FG1"]
    assert len(root.findall(".//q:PlainTextSelection", NS)) == 2
    assert root.find("q:Notes", NS) is None
    assert root.find(".//q:SelectionRef", NS) is None and root.find(".//q:SourceRef", NS) is None
    assert b"Sterkt sitat" not in archive.read("project.qde")
    event = AuditEvent.objects.get(action="exchange.qdpx")
    assert event.detail["approved_only"] is True and event.detail["sources"] == 1
    assert client.get(url("exchange:qdc", evaluation)).status_code == 403


def test_an_outsider_finds_nothing(evaluation, material, as_user):
    client = as_user("outsider")
    assert client.get(url("exchange:page", evaluation)).status_code == 404
    assert client.get(url("exchange:qdpx", evaluation)).status_code == 404


def test_a_blind_coder_does_not_export_the_partners_quotes(evaluation, material, user):
    from bsbstudio.analysis.models import DoubleCoding

    leader, peer = user("process_leader"), user("peer_interviewer")
    DoubleCoding.objects.create(
        text=material["nord"], coder_a=peer, coder_b=leader, started_by=leader
    )
    _archive, root = _open(build_project(peer, evaluation))
    nord = root.xpath("//q:TextSource[@name='FG1']", namespaces=NS)[0]
    assert nord.find("q:PlainTextSelection", NS) is None


@pytest.fixture
def leaky(evaluation, material, user):
    """A newer approved text of FG1 that still holds the raw name, with a quote on it."""
    leader = user("process_leader")
    transcript = material["nord"].transcript
    text = DeidentifiedText.objects.create(
        transcript=transcript,
        version=2,
        text=transcript.raw_text,
        approved_at=timezone.now(),
        approved_by=leader,
    )
    _code(
        leader,
        text,
        evaluation.codes.get(name="Tilgang"),
        f"Jeg heter {RAW_NAME}",
        "neutral",
        "direct",
    )
    return evaluation


def test_the_leak_guard_refuses_and_the_command_writes_nothing(leaky, tmp_path, capsys):
    out = tmp_path / "project.qdpx"
    assert main(["export", "qdpx", leaky.slug, "--out", str(out)]) == 3
    assert "have not been checked" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    assert not AuditEvent.objects.filter(action="exchange.qdpx").exists()


def test_a_member_who_may_not_review_is_told_the_export_awaits_review(leaky, as_user):
    response = as_user("commissioner").get(url("exchange:qdpx", leaky), follow=True)
    html = response.content.decode()
    assert "The team must check this export" in html and RAW_NAME not in html


def test_a_reviewer_confirms_the_findings_then_downloads(leaky, as_user):
    leader = as_user("process_leader")
    response = leader.get(url("exchange:qdpx", leaky))
    assert response.status_code == 302 and "exchange/review/" in response["Location"]
    review = leader.get(response["Location"])
    assert RAW_NAME.split()[-1] in review.content.decode()
    assert leader.post(response["Location"], {}).status_code == 302  # no tick: nothing changes
    assert leader.get(url("exchange:qdpx", leaky)).status_code == 302
    confirmed = leader.post(response["Location"], {"confirm": "on"})
    assert confirmed["Location"] == url("exchange:qdpx", leaky)
    download = leader.get(url("exchange:qdpx", leaky))
    assert download.status_code == 200
    _archive, root = _open(download.content)
    assert AuditEvent.objects.filter(action="export.leak_review").count() == 1


def test_a_quote_that_does_not_match_its_text_stops_the_export(evaluation, material, tmp_path):
    CodedSegment.objects.filter(pk=material["respect"].pk).update(quote="noe annet")
    out = tmp_path / "project.qdpx"
    assert main(["export", "qdpx", evaluation.slug, "--out", str(out)]) == 3
    assert not out.exists()


def test_the_command_line_writes_the_project_and_the_codebook(evaluation, material, tmp_path):
    project, codebook = tmp_path / "p.qdpx", tmp_path / "c.qdc"
    assert main(["export", "qdpx", evaluation.slug, "--out", str(project), "--site", "Sør"]) == 0
    archive, root = _open(project.read_bytes())
    assert list(_sources(archive, root)) == ["FG2"]
    assert root.findtext("q:Description", namespaces=NS).startswith("Eksportert")
    assert main(["export", "qdpx", evaluation.slug, "--out", str(project), "--site", "X"]) == 4
    assert main(["export", "qdc", evaluation.slug, "--out", str(codebook)]) == 0
    assert codebook_errors(codebook.read_bytes()) == []
    assert main(["export", "qdc", "nope", "--out", str(codebook)]) == 4
    events = AuditEvent.objects.filter(action__in=["exchange.qdpx", "exchange.qdc"], user=None)
    assert events.count() == 2


def test_the_codebook_validates_and_shares_the_projects_guids(evaluation, material, as_user):
    response = as_user("peer_interviewer").get(url("exchange:qdc", evaluation))
    assert response.status_code == 200
    assert codebook_errors(response.content) == []
    book = etree.fromstring(response.content)
    _archive, root = _open(build_project(COMMAND_LINE, evaluation))

    def tree(element, ns):
        return [
            (c.get("guid"), c.get("name"), c.get("color"), tree(c, ns))
            for c in element.iterfind(f"{{{ns}}}Code")
        ]

    assert tree(book.find(f"{{{CODEBOOK_NS}}}Codes"), CODEBOOK_NS) == tree(
        root.find("q:CodeBook/q:Codes", NS), PROJECT_NS
    )
    assert AuditEvent.objects.filter(action="exchange.qdc").count() == 1
    assert build_codebook(evaluation) == response.content


def test_the_exchange_page_explains_and_is_in_the_navigation(evaluation, as_user):
    html = as_user("process_leader", "nb").get(url("exchange:page", evaluation)).content.decode()
    assert html.count("<h1") == 1
    assert "NVivo" in html and url("exchange:qdc", evaluation) in html
    assert f'href="{url("exchange:page", evaluation)}" aria-current="page"' in html
    assert '<label for="exchange-site">' in html


def test_both_demo_evaluations_export_valid_files(db, capsys):
    from bsbstudio.demo.loader import load_all
    from bsbstudio.evaluations.models import Evaluation

    load_all("demo", "demo-password-1")
    timings = {}
    for evaluation in Evaluation.objects.order_by("pk"):
        started = time.perf_counter()
        archive, root = _open(build_project(COMMAND_LINE, evaluation))
        timings[evaluation.slug] = time.perf_counter() - started
        assert codebook_errors(build_codebook(evaluation)) == []
        texts = {
            s.get("guid"): archive.read(f"sources/{s.get('guid')}.txt").decode()
            for s in root.iterfind(".//q:TextSource", NS)
        }
        quotes = {
            guid(evaluation, "segment", pk): quote
            for pk, quote in CodedSegment.objects.filter(code__evaluation=evaluation).values_list(
                "pk", "quote"
            )
        }
        for source in root.iterfind(".//q:TextSource", NS):
            for selection in source.iterfind("q:PlainTextSelection", NS):
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                assert texts[source.get("guid")][start:end] == quotes[selection.get("guid")]
    assert set(timings) == {"ambulant-team-lindvag-2026", "bydeler-storhavn-2026"}
    with capsys.disabled():
        print(f"\nQDPX export seconds: {timings}")


def test_characters_xml_cannot_hold_do_not_break_the_file(evaluation, material):
    from bsbstudio.analysis.models import Memo

    Memo.objects.filter(pk=material["memos"]["project"].pk).update(text="før\x0better")
    Code.objects.filter(pk=material["waiting"].pk).update(name="Vente\x01tid")
    _archive, root = _open(build_project(COMMAND_LINE, evaluation))
    assert "før\ufffdetter" in [
        n.findtext("q:PlainTextContent", namespaces=NS) for n in root.iterfind("q:Notes/q:Note", NS)
    ]
    assert root.xpath("//q:Code[@name='Vente\ufffdtid']", namespaces=NS)


JOBS_IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def in_background(settings, tmp_path):
    """Every project export runs as a job, at once inside ``start``; results in a temp folder."""
    settings.TASKS = JOBS_IMMEDIATE
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JOBS_QDPX_QUOTES = 0
    return settings


def test_a_large_export_runs_in_the_background_and_is_downloaded_from_its_job(
    evaluation, material, in_background, as_user
):
    from bsbstudio.jobs.models import Job

    client = as_user("process_leader", "nb")
    answer = client.get(url("exchange:qdpx", evaluation))
    job = Job.objects.get(kind="exchange.qdpx_export")
    assert answer.status_code == 302 and answer["Location"] == job.get_absolute_url()
    assert job.state == Job.State.DONE and job.result_filename == "test.qdpx"
    assert "Arbeidet er ferdig." in client.get(answer["Location"]).content.decode()
    # The exchange page shows it too, with the download.
    page = client.get(url("exchange:page", evaluation)).content.decode()
    assert "Arbeid i bakgrunnen" in page and url("jobs:download", evaluation, job.pk) in page
    download = client.get(url("jobs:download", evaluation, job.pk))
    content = b"".join(download.streaming_content)
    _archive, root = _open(content)  # valid against Project.xsd
    assert AuditEvent.objects.filter(action="exchange.qdpx").count() == 1  # the job's export
    assert content == build_project(COMMAND_LINE, evaluation)  # same bytes as at once
    # Another member's job is not theirs to see: what goes in depends on who asked.
    assert as_user("commissioner").get(job.get_absolute_url()).status_code in (403, 404)


def test_a_background_export_with_findings_ends_with_a_message_and_no_file(
    leaky, in_background, as_user
):
    from bsbstudio.jobs.models import Job

    client = as_user("process_leader", "nb")
    client.get(url("exchange:qdpx", leaky))
    job = Job.objects.get(kind="exchange.qdpx_export")
    assert job.state == Job.State.FAILED and not job.result_file
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Last den ned fra siden Utveksling" in page


def test_a_small_export_is_still_written_in_the_request(evaluation, material, as_user, settings):
    from bsbstudio.jobs.models import Job

    settings.JOBS_QDPX_QUOTES = 2000
    response = as_user("process_leader").get(url("exchange:qdpx", evaluation))
    assert response.status_code == 200 and not Job.objects.exists()

"""Notes from another program are de-identified before they become memos (no name reaches search
or an export)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bsbstudio.analysis.models import Memo, SearchEntry
from bsbstudio.analysis.search import ensure_indexed
from bsbstudio.exchange.qdpx_export import build_project
from bsbstudio.exchange.qdpx_import import import_project, preview
from bsbstudio.reports.exports import COMMAND_LINE

NAME, NUMBER = "Kari Nordmann", "22 33 44 55"
NOTE = f"{NAME} ringte {NUMBER}"
TEXT = "I: Hvordan var det?\nD1: Det var fint å få hjelp fra teamet.\n"
GUIDS = {
    "code": "11111111-1111-1111-1111-111111111111",
    "source": "22222222-2222-2222-2222-222222222222",
    "selection": "33333333-3333-3333-3333-333333333333",
}


def note(guid: str, text: str, name: str = "") -> str:
    return f'<Note guid="{guid}" name="{name}"><PlainTextContent>{text}</PlainTextContent></Note>'


def project(code_name: str = "Hjelp", code_description: str = "") -> bytes:
    """A project from "another program": a note on each level, all naming Kari and her number."""
    start = TEXT.index("Det var")
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Fra et annet program" origin="Annet program 1.0">
<CodeBook><Codes><Code guid="{GUIDS["code"]}" name="{code_name}" isCodable="true">
<Description>{code_description}</Description>
<NoteRef targetGUID="A0000000-0000-0000-0000-000000000001"/></Code></Codes></CodeBook>
<Sources><TextSource guid="{GUIDS["source"]}" name="intervju.txt"
 plainTextPath="internal://{GUIDS["source"]}.txt">
<PlainTextSelection guid="{GUIDS["selection"]}" startPosition="{start}"
 endPosition="{start + 20}"><Description>Sa {NAME} selv</Description>
<Coding guid="44444444-4444-4444-4444-444444444444"><CodeRef targetGUID="{GUIDS["code"]}"/></Coding>
<NoteRef targetGUID="A0000000-0000-0000-0000-000000000002"/></PlainTextSelection>
<NoteRef targetGUID="A0000000-0000-0000-0000-000000000003"/></TextSource></Sources>
<Notes>{note("A0000000-0000-0000-0000-000000000001", NOTE)}
{note("A0000000-0000-0000-0000-000000000002", NOTE, name=NAME)}
{note("A0000000-0000-0000-0000-000000000003", NOTE)}
{note("A0000000-0000-0000-0000-000000000004", NOTE, name="Telefon")}</Notes>
<NoteRef targetGUID="A0000000-0000-0000-0000-000000000004"/>
</Project>"""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("project.qde", qde.encode("utf-8"))
        archive.writestr(f"sources/{GUIDS['source']}.txt", TEXT.encode("utf-8"))
    return out.getvalue()


def leaks(text: str) -> bool:
    folded = text.casefold()
    return any(word in folded for word in ("kari", "nordmann", NUMBER, "22334455", "33 44"))


def test_the_preview_finds_where_each_note_belongs(tmp_path):
    path = tmp_path / "annet.qdpx"
    path.write_bytes(project())
    found = preview(path)
    assert sorted(n["on"] for n in found.notes) == ["", "code", "selection", "source"]
    source = found.text_sources[0]
    assert source.notes == [NOTE]
    # a note named by its first words is not repeated
    assert source.selections[0].notes == [f"Sa {NAME} selv", NOTE]


@pytest.mark.django_db
def test_imported_notes_carry_no_name_or_number_into_memos_search_or_exports(
    evaluation, user, client_as, tmp_path, django_capture_on_commit_callbacks
):
    leader = user("process_leader")
    path = tmp_path / "annet.qdpx"
    path.write_bytes(project())
    result = import_project(leader, path, evaluation)
    assert result.screened >= 4
    transcript = result.interviews[0].transcripts.get()
    client = client_as("process_leader")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("deid:review", args=[evaluation.slug, transcript.pk]),
            {"confirm_rest": "1", "create_text": "1"},
        )
    memos = list(Memo.objects.filter(evaluation=evaluation).order_by("pk"))
    # on the code, the passage (its description and its note), the text and the project
    assert len(memos) == 5
    assert {
        (m.code_id is not None, m.segment_id is not None, m.deidentified_text_id is not None)
        for m in memos
    } == {(True, False, False), (False, True, False), (False, False, True), (False, False, False)}
    for memo in memos:
        assert not leaks(memo.text), memo.text
        assert "[NAVN" in memo.text or "[TELEFON" in memo.text
    ensure_indexed(evaluation)
    entries = SearchEntry.objects.filter(evaluation=evaluation, kind=SearchEntry.Kind.MEMO)
    assert entries.count() == 5
    for entry in entries:
        assert not leaks(entry.words) and not leaks(entry.stems)
    with zipfile.ZipFile(io.BytesIO(build_project(COMMAND_LINE, evaluation))) as archive:
        for name in archive.namelist():
            assert not leaks(archive.read(name).decode("utf-8")), name


@pytest.mark.django_db
def test_the_preview_page_says_notes_are_deidentified(evaluation, client_as):
    client = client_as("process_leader")
    response = client.post(
        reverse("exchange:import", args=[evaluation.slug]),
        {"kind": "qdpx", "file": SimpleUploadedFile("annet.qdpx", project())},
    )
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Notater blir avidentifisert automatisk" in html


CODEBOOK = f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Annet program 1.0"><Codes>
<Code guid="{GUIDS["code"]}" name="Samtaler" isCodable="true">
<Code guid="{GUIDS["source"]}" name="{NAME}" isCodable="true">
<Description>Ringte {NUMBER}</Description></Code></Code>
<Code guid="{GUIDS["selection"]}" name="Ventetid" isCodable="true"/></Codes></CodeBook>"""


@pytest.mark.django_db
def test_code_names_and_descriptions_from_another_program_are_screened_like_notes(
    evaluation, user, tmp_path, django_capture_on_commit_callbacks
):
    from bsbstudio.analysis.models import Code
    from bsbstudio.exchange.codebook_import import import_codebook
    from bsbstudio.exchange.qdpx_import import import_project

    leader = user("process_leader")
    path = tmp_path / "annet.qdpx"
    path.write_bytes(project(code_name=NAME, code_description=f"Ringte {NUMBER}"))
    # The preview shows the importer the file as it is; nothing is stored yet.
    assert [c.name for c in preview(path).codes] == [NAME]
    import_project(leader, path, evaluation)
    emergent = Code.objects.filter(evaluation=evaluation, kind=Code.Kind.EMERGENT)
    (code,) = emergent
    assert not leaks(code.name) and code.name.startswith("[NAVN")
    assert not leaks(code.description) and "[TELEFON" in code.description
    # The same name in a codebook gets the same placeholder (the evaluation's mapping) and is
    # matched to that code, not made twice; an ordinary label is kept as written.
    counts = import_codebook(leader, evaluation, CODEBOOK.encode(), "annet.qdc")
    assert counts["made"] == 3 and counts["matched"] == 0
    names = set(emergent.values_list("name", flat=True))
    assert {"Samtaler", "Ventetid"} <= names
    for code in emergent:
        assert not leaks(code.name) and not leaks(code.description), code.name
    child = emergent.get(parent__name="Samtaler")
    assert child.name == code.name
    again = import_codebook(leader, evaluation, CODEBOOK.encode(), "annet.qdc")
    assert again["made"] == 0 and again["matched"] == 3

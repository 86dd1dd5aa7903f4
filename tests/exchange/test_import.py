"""Importing REFI-QDA projects and codebooks: the real samples, the carry onto de-identified text."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from bsbstudio.analysis.models import Code, CodedSegment, Memo
from bsbstudio.deid import actions as deid_actions
from bsbstudio.deid.models import Detection
from bsbstudio.exchange.archive import ImportRefused
from bsbstudio.exchange.codebook_import import import_codebook
from bsbstudio.exchange.models import PendingCoding
from bsbstudio.exchange.qdpx_import import import_project, preview
from bsbstudio.transcripts.models import Transcript
from bsbstudio.transcripts.speakers import public_labels, speaker_labels

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "refi-qda" / "samples"
if not SAMPLES.is_dir():
    SAMPLES = Path("/work/shared/data/refi-qda/samples")
ATLAS = SAMPLES / "atlasti-8.4_refi-standard-project.qdpx"
QC = SAMPLES / "qc-1.3.2_demo.qdpx"


def sample(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"REFI-QDA sample not found: {path} (the shared data folder is missing)")
    return path


def squash(text: str) -> str:
    return " ".join(text.split())


def path_of(code) -> tuple[str, ...]:
    names = []
    while code is not None:
        names.insert(0, code.name)
        code = code.parent
    return tuple(names)


# --- preview (no database) -------------------------------------------------------------------


def test_atlasti_preview_reports_the_17_missing_files_and_skips_media():
    found = preview(sample(ATLAS))
    counts = found.counts
    assert counts["missing_files"] == 17
    assert "01106019-2518-43DD-BBD1-8F0252BACB30.txt" in found.missing_files
    assert "87EAD86F-3112-4537-8A01-01427CAE1C6D.jpg" in found.missing_files
    assert counts["codes"] == 14 and counts["notes"] == 2 and counts["sets"] == 16
    statuses = {s.name: s.status for s in found.sources}
    assert statuses["Simon.docx"] == "missing"
    assert statuses["Kellogg's Passion for Nutrition.pdf"] == "skipped"
    assert statuses["Jeanine's Breakfast.m4a"] == "skipped"
    assert statuses["cornflakes-n-milk.jpg"] == "skipped"
    assert counts["text_sources"] == 0 and counts["missing_sources"] == 6
    json = found.as_json()
    assert json["counts"]["missing_files"] == 17
    assert any(p["code"] == "flat_codes" for p in json["problems"])


def test_atlasti_flat_codes_become_a_tree():
    found = preview(sample(ATLAS))
    by_guid = {c.guid: c for c in found.codes}
    diet = by_guid["D299EFAE-5779-46DC-9827-A3D1A5D544BC"]
    assert diet.name == "diet Coke"
    assert by_guid[diet.parent].name == "Coke"
    assert diet.path == ("Coke", "diet Coke")
    # the parent comes before its children, so it can be made first
    order = [c.guid for c in found.codes]
    assert order.index(diet.parent) < order.index(diet.guid)


def test_qc_preview_counts_and_offsets_match_the_canonical_text():
    found = preview(sample(QC))
    counts = found.counts
    assert counts["codes"] == 262
    assert counts["text_sources"] == 2
    assert counts["selections"] == 158
    assert counts["codings"] == 205
    assert any(p.code == "bare_path" for p in found.problems)
    for source in found.text_sources:
        for selection in source.selections:
            raw = source.parsed.text[
                source.offsets[selection.start] : source.offsets[selection.end]
            ]
            assert squash(raw) == squash(source.text[selection.start : selection.end])


# --- import ------------------------------------------------------------------------------------


def _deidentify(leader, transcript, decision=Detection.Decision.CONFIRMED, capture=None):
    pending = transcript.detections.filter(decision=Detection.Decision.PENDING)
    deid_actions.decide(leader, transcript, {d.pk: decision for d in pending})
    with capture(execute=True):
        return deid_actions.create_deidentified_text(leader, transcript)


@pytest.mark.django_db(transaction=False)
def test_qc_import_codings_land_on_the_deidentified_text(
    evaluation, user, django_capture_on_commit_callbacks
):
    leader = user("process_leader")
    started = time.monotonic()
    result = import_project(leader, sample(QC), evaluation)
    seconds = time.monotonic() - started
    print(f"qc sample imported in {seconds:.2f} s")
    assert len(result.interviews) == 2
    assert result.pending == 205
    assert Code.objects.filter(evaluation=evaluation, kind="emergent").count() == 262
    child = Code.objects.get(evaluation=evaluation, name="programming", parent__name="competencies")
    assert child.parent.parent.name == "rq1_definition"
    found = preview(QC)
    board = next(s for s in found.text_sources if s.name == "board_2017.txt")
    transcript = Transcript.objects.get(
        interview__evaluation=evaluation, source_filename=board.name
    )
    # raw material: nothing is coded until the text has been reviewed and de-identified
    assert not CodedSegment.objects.filter(text__transcript=transcript).exists()
    assert transcript.detections.exists()
    # keep every hit, so the de-identified text equals the raw one and quotes compare exactly
    deidentified = _deidentify(
        leader, transcript, Detection.Decision.REJECTED, django_capture_on_commit_callbacks
    )
    segments = list(CodedSegment.objects.filter(text=deidentified).select_related("code"))
    assert len(segments) == 205
    assert not PendingCoding.objects.filter(transcript=transcript).exists()
    wanted_all = [
        (squash(board.text[s.start : s.end]), c) for s in board.selections for c in s.codes
    ]
    # speaker labels that may be names are shown as codes in every de-identified text
    labels = public_labels(transcript, speaker_labels(transcript))

    def relabel(text: str) -> str:
        for label, code in labels.items():
            text = text.replace(f"{label}:", f"{code}:")
        return text

    paths = {c.guid: c.path for c in found.codes}
    assert sorted((squash(s.quote), path_of(s.code)) for s in segments) == sorted(
        (relabel(quote), paths[guid]) for quote, guid in wanted_all
    )
    for segment in segments:
        assert segment.quote == deidentified.text[segment.start : segment.end]
        assert segment.turn is not None and segment.interview_id == transcript.interview_id


@pytest.mark.django_db
def test_qc_codings_follow_the_redaction_offsets(
    evaluation, user, django_capture_on_commit_callbacks
):
    leader = user("process_leader")
    import_project(leader, sample(QC), evaluation)
    found = preview(QC)
    board = next(s for s in found.text_sources if s.name == "board_2017.txt")
    transcript = Transcript.objects.get(
        interview__evaluation=evaluation, source_filename=board.name
    )
    hidden = transcript.detections.count()
    assert hidden > 0
    deidentified = _deidentify(
        leader, transcript, Detection.Decision.CONFIRMED, django_capture_on_commit_callbacks
    )
    assert len(deidentified.text) != len(transcript.raw_text)
    segments = CodedSegment.objects.filter(text=deidentified)
    assert segments.count() == 205
    raw_words = {s.start: squash(board.text[s.start : s.end]) for s in board.selections}
    exact = 0
    for segment in segments:
        assert segment.quote == deidentified.text[segment.start : segment.end]
        if "[" not in segment.quote:
            exact += squash(segment.quote) in raw_words.values()
    # quotes without a placeholder are the very words of the source
    assert exact > 50


@pytest.mark.django_db
def test_atlasti_import_brings_codes_and_notes_and_reports_missing(evaluation, user):
    leader = user("process_leader")
    result = import_project(leader, sample(ATLAS), evaluation)
    assert result.interviews == []
    coke = Code.objects.get(evaluation=evaluation, name="Coke")
    # The leaf names ("full-fat Coke", "diet Coke") pass the identifier screening, which takes
    # "Coke" in them for a name or a firm (it errs on hiding); the tree stays.
    assert coke.children.count() == 2
    assert coke.description == "the breakfast of champions"
    # notes are de-identified on the way in: the detector takes "Research Plan" for a name
    assert Memo.objects.filter(evaluation=evaluation, text__contains="dynamic team").exists()


@pytest.mark.django_db
def test_codes_are_matched_to_guide_themes_by_choice(evaluation, user):
    leader = user("process_leader")
    tilgang = Code.objects.get(evaluation=evaluation, name="Tilgang")
    found = preview(sample(ATLAS))
    happiness = next(c for c in found.codes if c.name == "happiness")
    import_project(leader, ATLAS, evaluation, {happiness.guid: tilgang.pk})
    assert not Code.objects.filter(evaluation=evaluation, name="happiness").exists()


@pytest.mark.django_db
def test_import_into_a_new_evaluation(evaluation, user, django_user_model):
    admin = django_user_model.objects.create_superuser("orgadmin", "a@example.org", "x")
    result = import_project(admin, sample(QC), None, new_name="Importert qc", new_slug="qc")
    assert result.evaluation.slug == "qc"
    assert result.evaluation.interviews.count() == 2


@pytest.mark.django_db
def test_only_the_process_leader_may_import(evaluation, user):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_project(user("peer_interviewer"), sample(QC), evaluation)
    assert not Transcript.objects.filter(interview__evaluation=evaluation).exists()


@pytest.mark.django_db
def test_an_import_that_fails_halfway_leaves_nothing(evaluation, user):
    from bsbstudio.accounts.models import AuditEvent

    leader = user("process_leader")
    codes, interviews = Code.objects.count(), evaluation.interviews.count()
    events = AuditEvent.objects.count()
    with pytest.raises(RuntimeError):
        import_project(leader, sample(QC), evaluation, _fail_after=1)
    assert Code.objects.count() == codes
    assert evaluation.interviews.count() == interviews
    assert not Transcript.objects.filter(interview__evaluation=evaluation).exists()
    assert not PendingCoding.objects.exists()
    assert AuditEvent.objects.count() == events


# --- codebooks ----------------------------------------------------------------------------------

QDC = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Taguette">
  <Codes>
    <Code guid="11111111-1111-1111-1111-111111111111" name="Tilgang" isCodable="true"/>
    <Code guid="22222222-2222-2222-2222-222222222222" name="Ventetid" isCodable="true"
          color="#AA3300">
      <Description>Hvor lenge man venter</Description>
      <Code guid="33333333-3333-3333-3333-333333333333" name="På første time" isCodable="true"/>
    </Code>
  </Codes>
</CodeBook>
"""


@pytest.mark.django_db
def test_codebook_import_matches_names_and_keeps_the_tree(evaluation, user):
    leader = user("process_leader")
    before = Code.objects.filter(evaluation=evaluation).count()
    counts = import_codebook(leader, evaluation, QDC.encode(), "bok.qdc")
    assert counts["made"] == 2 and counts["matched"] == 1
    assert Code.objects.filter(evaluation=evaluation).count() == before + 2
    child = Code.objects.get(evaluation=evaluation, name="På første time")
    assert child.parent.name == "Ventetid"
    assert child.parent.colour == "#AA3300"
    assert child.parent.description == "Hvor lenge man venter"
    again = import_codebook(leader, evaluation, QDC.encode(), "bok.qdc")
    assert again["made"] == 0


@pytest.mark.django_db
def test_codebook_with_wrong_root_is_refused(evaluation, user):
    with pytest.raises(ImportRefused) as refused:
        import_codebook(user("process_leader"), evaluation, b"<Project/>", "bok.qdc")
    assert "bok.qdc" in refused.value.message


def test_a_docx_beside_an_empty_txt_is_read(tmp_path):
    import io

    from docx import Document

    document = Document()
    document.add_paragraph("I: Hvordan var det?")
    document.add_paragraph("D1: Det var fint å bli møtt.")
    buffer = io.BytesIO()
    document.save(buffer)
    qde = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p"><CodeBook><Codes>
<Code guid="aaaaaaaa-0000-0000-0000-000000000001" name="Møte" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="aaaaaaaa-0000-0000-0000-000000000002" name="Intervju"
 plainTextPath="internal://t.txt" richTextPath="internal://t.docx">
<PlainTextSelection guid="aaaaaaaa-0000-0000-0000-000000000003" startPosition="24" endPosition="48">
<Coding guid="aaaaaaaa-0000-0000-0000-000000000004">
<CodeRef targetGUID="AAAAAAAA-0000-0000-0000-000000000001"/></Coding></PlainTextSelection>
</TextSource></Sources><Sets/></Project>"""
    path = tmp_path / "p.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("Sources/t.txt", "")
        archive.writestr("Sources/t.docx", buffer.getvalue())
    found = preview(path)
    source = found.sources[0]
    assert source.status == "ok" and source.file == "Sources/t.docx"
    assert {p.code for p in found.problems} >= {"empty_txt", "empty_sets"}
    selection = source.selections[0]
    assert source.text[selection.start : selection.end] == "Det var fint å bli møtt."
    assert selection.codes == ["AAAAAAAA-0000-0000-0000-000000000001"]


def _project(tmp_path, text: str, passages: list[tuple[str, str]]) -> Path:
    """A small project: one text source and a coding of each (passage, code name)."""
    codes = {name: f"{i:08d}-0000-4000-8000-000000000000" for i, (_p, name) in enumerate(passages)}
    selections = []
    for i, (passage, name) in enumerate(passages):
        start = text.index(passage)
        selections.append(
            f'<PlainTextSelection guid="{i:08d}-1111-4000-8000-000000000000" '
            f'startPosition="{start}" endPosition="{start + len(passage)}">'
            f'<Coding guid="{i:08d}-2222-4000-8000-000000000000">'
            f'<CodeRef targetGUID="{codes[name]}"/></Coding></PlainTextSelection>'
        )
    code_xml = "".join(
        f'<Code guid="{guid}" name="{name}" isCodable="true"/>' for name, guid in codes.items()
    )
    qde = (
        '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" '
        f'name="liten"><CodeBook><Codes>{code_xml}</Codes></CodeBook><Sources>'
        '<TextSource guid="99999999-0000-4000-8000-000000000000" name="Intervju 1" '
        f'plainTextPath="internal://a.txt">{"".join(selections)}</TextSource></Sources></Project>'
    )
    path = tmp_path / "liten.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("sources/a.txt", text.encode("utf-8"))
    return path


@pytest.mark.django_db
def test_codings_move_with_the_replacements(
    evaluation, user, tmp_path, django_capture_on_commit_callbacks
):
    from bsbstudio.deid.models import ProtectedTerm

    leader = user("process_leader")
    for name in ("Kari Nordmann", "Per Hansen"):
        ProtectedTerm.objects.create(evaluation=evaluation, text=name, kind="PERSON")
    text = (
        "I:   Hvordan var møtet med Kari Nordmann?\r\n\r\n"
        "D1:    Kari Nordmann var snill, og Per Hansen ringte meg dagen etter.  \r\n"
        "D1: Det var godt å bli møtt sånn.\r\n"
    )
    path = _project(
        tmp_path,
        text,
        [
            ("Kari Nordmann var snill", "Møtet"),
            ("Per Hansen ringte meg dagen etter.", "Oppfølging"),
            ("Det var godt å bli møtt sånn.", "Å bli møtt"),
            ("Nordmann var snill, og Per", "Midt i et navn"),
        ],
    )
    import_project(leader, path, evaluation)
    transcript = Transcript.objects.get(interview__evaluation=evaluation)
    deidentified = _deidentify(
        leader, transcript, Detection.Decision.CONFIRMED, django_capture_on_commit_callbacks
    )
    quotes = {s.code.name: s.quote for s in CodedSegment.objects.filter(text=deidentified)}
    assert "Kari" not in deidentified.text
    assert quotes["Møtet"] == "[NAVN 1] var snill"
    assert quotes["Oppfølging"] == "[NAVN 2] ringte meg dagen etter."
    assert quotes["Å bli møtt"] == "Det var godt å bli møtt sånn."
    # a coding that starts inside a hidden name takes the whole replacement
    assert quotes["Midt i et navn"] == "[NAVN 1] var snill, og [NAVN 2]"
    # "Å bli møtt" matched the guide theme of that name instead of making a new one
    assert CodedSegment.objects.get(text=deidentified, quote__startswith="Det var").code.kind == (
        "guide"
    )


@pytest.mark.django_db
def test_demo_import_is_carried_and_idempotent(
    evaluation, user, django_capture_on_commit_callbacks
):
    from bsbstudio.demo.exchange_import import SLUG, load_exchange_import

    evaluation.slug = SLUG
    evaluation.save()
    leader = user("process_leader")
    with django_capture_on_commit_callbacks(execute=True):
        load_exchange_import(leader)
        load_exchange_import(leader)
    assert evaluation.interviews.filter(site__name="Importert").count() == 2
    quotes = set(
        CodedSegment.objects.filter(text__transcript__interview__evaluation=evaluation).values_list(
            "quote", flat=True
        )
    )
    assert "Jeg blir møtt som et menneske, ikke som en diagnose." in quotes
    kveldene = Code.objects.get(evaluation=evaluation, name="Kveldene")
    assert kveldene.parent.name == "Ensomhet"
    assert PendingCoding.objects.count() == 2  # the second text still waits for review


def test_inline_text_is_read_and_an_outside_file_is_named(tmp_path):
    qde = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Sources>'
        '<TextSource guid="00000000-0000-4000-8000-000000000001" name="Innebygd">'
        "<PlainTextContent>I: Hei.\nB1: Hei på deg.</PlainTextContent></TextSource>"
        '<TextSource guid="00000000-0000-4000-8000-000000000002" name="Utenfor" '
        'plainTextPath="relative:///C:/data/intervju.txt"/>'
        "</Sources></Project>"
    )
    path = tmp_path / "p.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Project.qde", qde)
    found = preview(path)
    inline, outside = found.sources
    assert inline.status == "ok" and inline.parsed.text == "I: Hei.\nB1: Hei på deg."
    assert outside.status == "missing" and outside.reason.code == "external"
    assert found.missing_files == []  # an outside file is not an archive's missing file


def test_an_oversized_project_xml_is_refused(tmp_path, monkeypatch):
    from bsbstudio.exchange import codebook_import

    monkeypatch.setattr(codebook_import, "MAX_XML_BYTES", 1000)
    path = tmp_path / "stor.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", '<Project xmlns="urn:QDA-XML:project:1.0">' + " " * 2000)
    with pytest.raises(ImportRefused) as refused:
        preview(path)
    assert refused.value.code == "xml_too_large"


def test_offset_map_fallback_finds_the_unchanged_stretches():
    from types import SimpleNamespace

    from bsbstudio.exchange.carry import OffsetMap, _found_pieces

    raw = "Kari var her og Per også"
    out = "[NAVN 1] var her og [NAVN 22] også"
    hidden = [SimpleNamespace(start=0, end=4), SimpleNamespace(start=16, end=19)]
    offsets = OffsetMap(_found_pieces(raw, 0, len(raw), out, 0, len(out), hidden))

    def moved(passage: str) -> str:
        start = raw.index(passage)
        return out[offsets.map(start) : offsets.map(start + len(passage), is_end=True)]

    assert moved("var her") == "var her"
    assert moved("også") == "også"
    assert moved("Kari var") == "[NAVN 1] var"
    assert moved("ri var her og P") == "[NAVN 1] var her og [NAVN 22]"


CASES_QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p">
<CodeBook><Codes><Code guid="00000000-0000-4000-8000-0000000000C1" name="Møte" isCodable="true"/>
</Codes></CodeBook>
<Variables>
<Variable guid="00000000-0000-4000-8000-0000000000A1" name="Informantgruppe" typeOfVariable="Text"/>
<Variable guid="00000000-0000-4000-8000-0000000000A2" name="Enhet" typeOfVariable="Text"/>
<Variable guid="00000000-0000-4000-8000-0000000000A3" name="Kjønn" typeOfVariable="Text"/>
<Variable guid="00000000-0000-4000-8000-0000000000A4" name="Bydel" typeOfVariable="Text"/>
</Variables>
<Cases><Case guid="00000000-0000-4000-8000-0000000000B1" name="B-07">
<VariableValue><VariableRef targetGUID="00000000-0000-4000-8000-0000000000A1"/>
<TextValue>Brukere</TextValue></VariableValue>
<VariableValue><VariableRef targetGUID="00000000-0000-4000-8000-0000000000A2"/>
<TextValue>Nord</TextValue></VariableValue>
<VariableValue><VariableRef targetGUID="00000000-0000-4000-8000-0000000000A3"/>
<TextValue>kvinne</TextValue></VariableValue>
<VariableValue><VariableRef targetGUID="00000000-0000-4000-8000-0000000000A4"/>
<TextValue>Sentrum</TextValue></VariableValue>
<SourceRef targetGUID="00000000-0000-4000-8000-0000000000D1"/>
<SelectionRef targetGUID="00000000-0000-4000-8000-0000000000E1"/>
</Case></Cases>
<Sources><TextSource guid="00000000-0000-4000-8000-0000000000D1" name="Intervju"
 plainTextPath="internal://t.txt">
<PlainTextSelection guid="00000000-0000-4000-8000-0000000000E1" startPosition="20"
 endPosition="40"><Coding guid="00000000-0000-4000-8000-0000000000F1">
<CodeRef targetGUID="00000000-0000-4000-8000-0000000000C1"/></Coding></PlainTextSelection>
</TextSource></Sources></Project>"""


@pytest.mark.django_db
def test_cases_become_informants_who_take_part(evaluation, user, tmp_path):
    from bsbstudio.fieldwork.models import Informant

    text = "I: Hvordan var det?\nX9: Det var et godt møte med teamet."
    path = tmp_path / "cases.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", CASES_QDE)
        archive.writestr("sources/t.txt", text.encode("utf-8"))
    result = import_project(user("process_leader"), path, evaluation)
    informant = Informant.objects.get(evaluation=evaluation, code="B-07")
    assert informant.group.name == "Brukere" and informant.site.name == "Nord"
    assert informant.gender == "kvinne" and informant.attributes == {"Bydel": "Sentrum"}
    interview = result.interviews[0]
    participation = interview.participations.get()
    assert participation.informant == informant and participation.speaker_code == "X9"
    transcript = interview.transcripts.get()
    turn = transcript.turns.get(speaker_code="X9")
    assert turn.participation == participation

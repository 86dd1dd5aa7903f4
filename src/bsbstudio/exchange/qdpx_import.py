"""Import a REFI-QDA project (``.qdpx``) from another program: a preview, then one transaction.

``preview(path)`` reads the archive (``archive.QdpxArchive``) and its ``project.qde`` and says
what it found: codes, text sources with their codings, notes, cases and sets, and every problem.
``import_project`` then writes it all or nothing. Imported texts are raw material: each becomes an
interview with a transcript through the upload's own path (``transcripts.actions
.import_transcript``), so its identifiers wait for review like any transcript's. Its codings wait
as ``PendingCoding`` rows in raw offsets until the de-identified text exists (``carry``). Notes
go where their ``NoteRef`` stands (code, passage, text, project) and are de-identified before
they are stored (``notes.NoteScreen``); BSB Studio's own "Polaritet"/"Direkthet" codes become
the quotes' polarity and directness (``split_facets``).

Quirks of real exports that are accepted, each with a warning where it breaks the standard:
``Project.qde`` and ``Sources/`` in any case; a bare file name as ``plainTextPath`` (qc); an
empty ``.txt`` beside its ``.docx`` (the DOCX is read); text given inline as
``PlainTextContent``; lower-case GUIDs (matched whatever their case); flat codes named ``A::B``
(a tree); an empty ``<Sets/>``; no XML declaration. PDF, picture, audio and video sources are
listed and skipped with the reason; a missing internal file is named and the rest is still
imported.
"""

from __future__ import annotations

import json
import logging
import re
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from lxml import etree

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, require
from bsbstudio.analysis.models import Memo
from bsbstudio.errors import UserFacingError, gettext_noop
from bsbstudio.transcripts.engine import TranscriptImportError, parse_text
from bsbstudio.transcripts.engine.decoding import decode_text
from bsbstudio.transcripts.engine.formats import docx
from bsbstudio.transcripts.engine.safezip import open_zip, read_member
from bsbstudio.transcripts.engine.safezip import parse_xml as parse_docx_xml

from .archive import ImportRefused, QdpxArchive, refuse
from .codebook_export import (
    DIRECTNESS_CODES,
    DIRECTNESS_PARENT,
    ORIGIN,
    POLARITY_CODES,
    POLARITY_PARENT,
)
from .codebook_import import CodeItem, create_codes, norm_guid, parse_xml, read_codes
from .models import PendingCoding
from .notes import NoteScreen
from .schema import PROJECT_NS, project_errors

logger = logging.getLogger(__name__)

NS = f"{{{PROJECT_NS}}}"
# What a file built to confuse the reader could still raise deep inside it.
_UNEXPECTED = (ValueError, KeyError, IndexError, TypeError, RecursionError, etree.LxmlError)
MEDIA_KINDS = {
    "PDFSource": "pdf",
    "PictureSource": "picture",
    "AudioSource": "audio",
    "VideoSource": "video",
}
SKIP_REASONS = {
    "pdf": gettext_noop("PDF documents are not imported: only texts can be de-identified here."),
    "picture": gettext_noop("Pictures are not imported: only texts can be de-identified here."),
    "audio": gettext_noop(
        "Sound recordings are not imported here: add them to an interview as a recording."
    ),
    "video": gettext_noop("Video is not imported: only texts can be de-identified here."),
}
PROBLEMS = {
    "missing_file": gettext_noop("The file %(file)s is missing from the archive."),
    "external": gettext_noop(
        "The text of %(source)s lies outside the archive (%(path)s) and cannot be read."
    ),
    "no_text": gettext_noop("No text was found for %(source)s."),
    "unreadable": gettext_noop("The text of %(source)s could not be read: %(detail)s"),
    "empty_txt": gettext_noop(
        "The plain text of %(source)s is empty; its Word document was read instead."
    ),
    "bare_path": gettext_noop(
        "%(source)s names its file in a way the standard does not use; it was read all the same."
    ),
    "empty_sets": gettext_noop(
        "The project has an empty list of sets, which the standard does not allow; it was ignored."
    ),
    "schema": gettext_noop(
        "Places in the project that do not follow the standard: %(count)s. It was read as well "
        "as possible."
    ),
    "bad_selection": gettext_noop(
        "A coded passage of %(source)s (%(start)s–%(end)s) lies outside its text and was skipped."
    ),
    "unknown_code": gettext_noop(
        "Codings of %(source)s that refer to codes the project does not have: %(count)s. They "
        "were skipped."
    ),
    "flat_codes": gettext_noop(
        "Codes named with :: (as ATLAS.ti writes a hierarchy): %(count)s. They were read as a tree."
    ),
    "media_selections": gettext_noop(
        "Codings on PDFs, pictures, sound or video that were skipped: %(count)s."
    ),
}
MAX_SCHEMA_PROBLEMS = 10


@dataclass
class Problem:
    """Something the preview warns about: a stable code, an English template and its values."""

    code: str
    template: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The message in the active language."""
        try:
            return _(self.template) % self.params
        except (KeyError, TypeError, ValueError):
            return _(self.template)


def problem(code: str, **params) -> Problem:
    """The problem ``code`` (see ``PROBLEMS``) with its values."""
    return Problem(code, PROBLEMS[code], params)


@dataclass
class Selection:
    """A coded (or annotated) passage of a text source, in the source's own offsets."""

    guid: str
    start: int
    end: int
    codes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    polarity: str = ""
    directness: str = ""


@dataclass
class Source:
    """A source of the project and what became of it: read, skipped or missing."""

    guid: str
    name: str
    kind: str  # text, pdf, picture, audio, video
    status: str = "ok"  # ok, skipped, missing, unreadable
    reason: Problem | None = None
    file: str = ""
    selections: list[Selection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # notes on the whole text
    text: str | None = None  # the source's plain text, as its offsets count
    parsed: object = None  # the transcript engine's ParsedTranscript
    offsets: list[int] | None = None  # source offset -> offset in the parsed (raw) text

    @property
    def codings(self) -> int:
        """How many codings the source's passages carry."""
        return sum(len(s.codes) for s in self.selections)

    def as_json(self) -> dict:
        """The source as the dry run prints it."""
        return {
            "guid": self.guid,
            "name": self.name,
            "kind": self.kind,
            "status": self.status,
            "reason": self.reason.message if self.reason else "",
            "file": self.file,
            "characters": len(self.text or ""),
            "selections": len(self.selections),
            "codings": self.codings,
        }


@dataclass
class Preview:
    """What an archive holds and what an import would do with it; nothing is written."""

    filename: str
    project_name: str = ""
    origin: str = ""
    users: list[str] = field(default_factory=list)
    codes: list[CodeItem] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    # Every note: {"guid", "text" (its name and content), "on": "code", "source", "selection"
    # or "" (the project), "code": the code's GUID for a note on a code}.
    notes: list[dict] = field(default_factory=list)
    cases: list[dict] = field(default_factory=list)
    sets: int = 0
    missing_files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    schema_errors: list[str] = field(default_factory=list)  # the first few, for the dry run

    @property
    def text_sources(self) -> list[Source]:
        """The text sources that will be imported."""
        return [s for s in self.sources if s.status == "ok"]

    @property
    def counts(self) -> dict[str, int]:
        """The numbers the preview page and the dry run show."""
        texts = self.text_sources
        return {
            "codes": len(self.codes),
            "sources": len(self.sources),
            "text_sources": len(texts),
            "skipped_sources": sum(s.status == "skipped" for s in self.sources),
            "missing_sources": sum(s.status in ("missing", "unreadable") for s in self.sources),
            "missing_files": len(self.missing_files),
            "selections": sum(len(s.selections) for s in texts),
            "codings": sum(s.codings for s in texts),
            "notes": len(self.notes),
            "cases": len(self.cases),
            "sets": self.sets,
            "users": len(self.users),
        }

    def as_json(self) -> dict:
        """Everything found, as JSON-ready data (messages in the active language)."""
        return {
            "file": self.filename,
            "project": self.project_name,
            "origin": self.origin,
            "counts": self.counts,
            "sources": [s.as_json() for s in self.sources],
            "codes": [c.as_json() for c in self.codes],
            "missing_files": self.missing_files,
            "problems": [{"code": p.code, "message": p.message} for p in self.problems],
            "schema_errors": self.schema_errors,
        }


def _text(element, tag: str) -> str:
    child = element.find(NS + tag)
    return (child.text or "").strip() if child is not None else ""


def _internal(path: str) -> tuple[str, bool] | None:
    """The file name of an internal path (and whether it was bare), None when it is external."""
    if not path:
        return None
    if path.casefold().startswith("internal://"):
        return path[len("internal://") :], False
    if "://" in path or path.startswith(("/", "\\")):
        return None
    return path, True


def _read_docx_text(data: bytes, filename: str) -> str:
    """A Word document's paragraphs as lines, read by the transcripts' own DOCX reader."""
    archive = open_zip(data, filename, "DOCX")
    xml = read_member(archive, "word/document.xml", filename, "DOCX")
    root = parse_docx_xml(xml, filename, "DOCX")
    body = root.find(docx.W + "body")
    return "\n".join(docx.block_lines(body if body is not None else root))


class _Reader:
    """Reads one ``project.qde`` against its archive into a ``Preview``."""

    def __init__(self, archive: QdpxArchive, preview: Preview) -> None:
        self.archive, self.preview = archive, preview
        self.missing: dict[str, None] = {}

    def note_missing(self, path: str) -> None:
        found = _internal(path)
        if found and not found[1] and self.archive.source(found[0]) is None:
            self.missing.setdefault(found[0], None)

    def file(self, path: str, source: Source) -> tuple[str, bytes] | None:
        """The entry and bytes of an internal path, None when missing or external."""
        found = _internal(path)
        if not found:
            return None
        name, bare = found
        entry = self.archive.source(name)
        if entry is None:
            return None
        if bare:
            self.preview.problems.append(problem("bare_path", source=source.name, path=name))
        return entry, self.archive.read(entry)

    def text_of(self, element, source: Source) -> None:
        """Read a text source's text: plain text, else its Word document, else inline text."""
        plain, rich = element.get("plainTextPath", ""), element.get("richTextPath", "")
        for path in (plain, rich):
            self.note_missing(path)
        try:
            found = self.file(plain, source)
            if found and found[1].strip():
                source.file, source.text = found[0], decode_text(found[1], found[0])[0]
            else:
                rich_found = self.file(rich, source) if rich.casefold().endswith(".docx") else None
                if rich_found:
                    if found:
                        self.preview.problems.append(problem("empty_txt", source=source.name))
                    source.file = rich_found[0]
                    source.text = _read_docx_text(rich_found[1], rich_found[0])
                elif element.find(NS + "PlainTextContent") is not None:
                    source.text = element.find(NS + "PlainTextContent").text or ""
        except TranscriptImportError as error:
            source.status, source.reason = (
                "unreadable",
                problem("unreadable", source=source.name, detail=_(error.template) % error.params),
            )
            return
        if source.text is None:
            path = plain or rich
            internal = _internal(path)
            if internal and not internal[1] and internal[0] in self.missing:
                source.status = "missing"
                source.reason = problem("missing_file", file=internal[0])
            elif path and not internal:
                source.status = "missing"
                source.reason = problem("external", source=source.name, path=path[:200])
            else:
                source.status, source.reason = "missing", problem("no_text", source=source.name)
            return
        try:
            source.parsed = parse_text(
                source.text,
                source.name,
                require_speakers=False,
                max_words=settings.MAX_TRANSCRIPT_WORDS,
            )
        except TranscriptImportError as error:
            source.status, source.reason = (
                "unreadable",
                problem("unreadable", source=source.name, detail=_(error.template) % error.params),
            )
            return
        source.offsets = align(source.text, source.parsed.text)

    def selections(self, element, source: Source, codes: set[str], facets: dict) -> None:
        unknown = 0
        for node in element.iterchildren(NS + "PlainTextSelection"):
            try:
                start, end = int(node.get("startPosition")), int(node.get("endPosition"))
            except (TypeError, ValueError):
                start, end = -1, -1
            if not (0 <= start < end <= len(source.text or "")):
                self.preview.problems.append(
                    problem("bad_selection", source=source.name, start=start, end=end)
                )
                continue
            selection = Selection(norm_guid(node.get("guid")), start, end)
            for coding in node.iterchildren(NS + "Coding"):
                ref = coding.find(NS + "CodeRef")
                target = norm_guid(ref.get("targetGUID")) if ref is not None else ""
                if target in facets:
                    kind, value = facets[target]
                    setattr(selection, kind, getattr(selection, kind) or value)
                elif target in codes:
                    selection.codes.append(target)
                else:
                    unknown += 1
            description = _text(node, "Description")
            if description:
                selection.notes.append(description)
            selection.notes += self.notes_of(node, "selection")
            if selection.codes or selection.notes:
                source.selections.append(selection)
        if unknown:
            self.preview.problems.append(problem("unknown_code", source=source.name, count=unknown))

    def read_notes(self, root) -> None:
        """Every note, by GUID; where it is attached is learnt from the NoteRefs."""
        notes = root.find(NS + "Notes")
        for note in notes.iterchildren(NS + "Note") if notes is not None else ():
            text = _text(note, "PlainTextContent")
            title = (note.get("name") or "").strip()[:200]
            if title and not text.startswith(title.rstrip("…").rstrip()):
                text = "\n\n".join(part for part in (title, text) if part)
            if text:
                item = {"guid": norm_guid(note.get("guid")), "text": text, "on": "", "code": ""}
                self.preview.notes.append(item)
                self.notes.setdefault(item["guid"], item)

    def notes_of(self, element, on: str, code: str = "") -> list[str]:
        """The texts of the notes ``element`` refers to, marked as attached to it."""
        found = []
        for ref in element.iterchildren(NS + "NoteRef"):
            item = self.notes.get(norm_guid(ref.get("targetGUID")))
            if item is not None and not item["on"]:
                item["on"], item["code"] = on, code
                found.append(item["text"])
        return found

    def read(self, root) -> None:
        preview = self.preview
        self.notes: dict[str, dict] = {}
        self.read_notes(root)
        preview.project_name = (root.get("name") or "")[:200]
        preview.origin = (root.get("origin") or "")[:200]
        users = root.find(NS + "Users")
        if users is not None:
            preview.users = [u.get("name", "") for u in users.iterchildren(NS + "User")]
        codebook = root.find(NS + "CodeBook")
        codes_element = codebook.find(NS + "Codes") if codebook is not None else None
        if codes_element is not None:
            flat = sum(
                "::" in (c.get("name") or "") for c in codes_element.iterchildren(NS + "Code")
            )
            if flat:
                preview.problems.append(problem("flat_codes", count=flat))
        preview.codes, facets = split_facets(read_codes(codes_element, PROJECT_NS))
        known = {c.guid for c in preview.codes}
        if codes_element is not None:
            for code in codes_element.iter(NS + "Code"):
                guid = norm_guid(code.get("guid"))
                if guid in known:
                    self.notes_of(code, "code", guid)
        sources = root.find(NS + "Sources")
        media_codings = 0
        for element in sources.iterchildren() if sources is not None else ():
            tag = etree_local(element.tag)
            for path_attribute in ("path", "plainTextPath", "richTextPath"):
                self.note_missing(element.get(path_attribute, ""))
            for child in element.iter(NS + "Representation", NS + "Transcript"):
                for path_attribute in ("plainTextPath", "richTextPath"):
                    self.note_missing(child.get(path_attribute, ""))
            source = Source(
                guid=norm_guid(element.get("guid")),
                name=(element.get("name") or "").strip()[:200],
                kind="text" if tag == "TextSource" else MEDIA_KINDS.get(tag, tag.lower()),
            )
            if not source.name:
                path = element.get("plainTextPath") or element.get("path") or source.guid
                source.name = re.split(r"[\\/]", path)[-1][:200]
            preview.sources.append(source)
            if tag != "TextSource":
                source.status = "skipped"
                source.reason = Problem(source.kind, SKIP_REASONS.get(source.kind, ""), {})
                media_codings += len(list(element.iter(NS + "Coding")))
                continue
            self.text_of(element, source)
            if source.status == "ok":
                self.selections(element, source, known, facets)
                source.notes = self.notes_of(element, "source")
        if media_codings:
            preview.problems.append(problem("media_selections", count=media_codings))
        variables = {
            norm_guid(v.get("guid")): (v.get("name") or "").strip()
            for v in root.iterfind(f"{NS}Variables/{NS}Variable")
        }
        cases = root.find(NS + "Cases")
        for case in cases.iterchildren(NS + "Case") if cases is not None else ():
            values = {}
            for value in case.iterchildren(NS + "VariableValue"):
                ref = value.find(NS + "VariableRef")
                name = variables.get(norm_guid(ref.get("targetGUID"))) if ref is not None else None
                text = next((c.text for c in value if c is not ref and c.text), "")
                if name and text.strip():
                    values[name] = text.strip()
            preview.cases.append(
                {
                    "name": (case.get("name") or "").strip()[:200],
                    "values": values,
                    "sources": [
                        norm_guid(ref.get("targetGUID"))
                        for ref in case.iterchildren(NS + "SourceRef")
                    ],
                    "selections": [
                        norm_guid(ref.get("targetGUID"))
                        for ref in case.iterchildren(NS + "SelectionRef")
                    ],
                }
            )
        sets = root.find(NS + "Sets")
        if sets is not None:
            preview.sets = len(sets.findall(NS + "Set"))
        preview.missing_files = list(self.missing)


def split_facets(codes: list[CodeItem]) -> tuple[list[CodeItem], dict[str, tuple[str, str]]]:
    """The codes without BSB Studio's polarity and directness codes, and those by GUID.

    A code under a top-level "Polaritet" or "Direkthet" (as ``codebook_export`` writes them)
    is a quote's field, not a theme: it maps to ``("polarity", value)`` or ``("directness",
    value)``. The parent is left out only when every child is one of the known names.
    """
    facets: dict[str, tuple[str, str]] = {}
    left_out: set[str] = set()
    for kind, parent_name, values in (
        ("polarity", POLARITY_PARENT, POLARITY_CODES),
        ("directness", DIRECTNESS_PARENT, DIRECTNESS_CODES),
    ):
        by_name = {label.casefold(): value for value, label in values.items()}
        for parent in codes:
            if parent.parent is not None or parent.name.casefold() != parent_name.casefold():
                continue
            children = [c for c in codes if c.parent == parent.guid]
            if children and all(c.name.casefold() in by_name for c in children):
                if any(c.parent in {ch.guid for ch in children} for c in codes):
                    continue  # something hangs under a child: a theme tree, not ours
                left_out |= {parent.guid, *(c.guid for c in children)}
                facets.update({c.guid: (kind, by_name[c.name.casefold()]) for c in children})
    return [c for c in codes if c.guid not in left_out], facets


def etree_local(tag) -> str:
    """An element's name without its namespace."""
    return str(tag).rsplit("}", 1)[-1]


def _schema_problems(root, preview: Preview) -> None:
    """The schema's complaints as warnings; the known quirks in plain words."""
    errors = project_errors(root)
    sets = root.find(NS + "Sets")
    if sets is not None and len(sets) == 0:
        preview.problems.append(problem("empty_sets"))
        errors = [e for e in errors if "Sets" not in e]
    if errors:
        preview.problems.append(problem("schema", count=len(errors)))
        preview.schema_errors = [error[:300] for error in errors[:MAX_SCHEMA_PROBLEMS]]


def _read(archive: QdpxArchive, filename: str) -> Preview:
    entry = archive.project_name()
    root = parse_xml(archive.read(entry), filename, entry, PROJECT_NS, "Project", "project")
    preview = Preview(filename=filename)
    _schema_problems(root, preview)
    _Reader(archive, preview).read(root)
    return preview


def preview(path: Path | str, filename: str = "") -> Preview:
    """Read an archive and say what an import would bring; raises ImportRefused if it cannot."""
    filename = filename or Path(path).name
    with QdpxArchive(path, filename) as archive:
        try:
            return _read(archive, filename)
        except ImportRefused:
            raise
        except _UNEXPECTED:
            # Untrusted input must end in a message, never an error page; the log keeps the cause.
            logger.exception("REFI-QDA file %s could not be read", filename)
            raise refuse("damaged", filename) from None


_DELETABLE = re.compile(r"[\s\x00-\x1f\x7f\ufeff\u2028\u2029\x85]")


def align(source: str, canonical: str) -> list[int]:
    """For each offset of ``source`` (and its end), the offset in ``canonical`` it became.

    The transcript engine's canonical text is the source with whitespace tidied (spaces after
    a speaker code, trailing blanks, blank lines), control characters dropped and NFC applied:
    mostly deletions. Equal characters are matched, deletable ones skipped; anything else is
    resynchronised on the next stretch both texts share.
    """
    out = [0] * (len(source) + 1)
    i = j = 0
    n, m = len(source), len(canonical)
    while i < n:
        out[i] = j
        a = source[i]
        if j < m and a == canonical[j]:
            i += 1
            j += 1
        elif _DELETABLE.match(a) or unicodedata.combining(a):
            i += 1
        elif j < m and canonical[j].isspace():
            j += 1
        else:
            di, dj = _resync(source, i, canonical, j)
            for k in range(i, min(i + di, n)):
                out[k] = j
            i, j = i + max(di, 1), min(j + dj, m)
    out[n] = min(j, m) if n else 0
    return out


def _resync(source: str, i: int, canonical: str, j: int, window: int = 64) -> tuple[int, int]:
    """The smallest skips (in source, in canonical) after which four characters agree again."""
    best = None
    for di in range(window):
        anchor = source[i + di : i + di + 4]
        if len(anchor) < 4:
            break
        dj = canonical.find(anchor, j, j + window + 4)
        if dj >= 0 and (best is None or di + dj - j < sum(best)):
            best = (di, dj - j)
    return best or (1, 1)


class ImportFailed(UserFacingError):
    """An import that could not be written; nothing was changed."""


@dataclass
class ImportResult:
    """What an import wrote."""

    evaluation: object
    interviews: list = field(default_factory=list)
    codes_made: int = 0
    codes_matched: int = 0
    pending: int = 0
    memos: int = 0
    screened: int = 0  # names and other identifiers replaced in the notes
    seconds: float = 0.0


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` moved inside the whitespace at either end of the passage.

    A passage that ends with its line break would otherwise reach into the next speaker label.
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _new_evaluation(actor, name: str, slug: str):
    from bsbstudio.evaluations.actions import create_evaluation
    from bsbstudio.evaluations.forms import EvaluationForm

    form = EvaluationForm(data={"name": name, "slug": slug, "replacement_mode": "placeholder"})
    if not form.is_valid():
        detail = "; ".join(str(m) for messages in form.errors.values() for m in messages)
        raise ImportFailed(
            "bad_evaluation",
            gettext_noop("The new evaluation could not be made: %(detail)s"),
            detail=detail,
        )
    return create_evaluation(actor, form)


# Case variables as BSB Studio's own export names them (``qdpx_export.VARIABLES``).
GROUP_VARIABLE, SITE_VARIABLE = "Informantgruppe", "Enhet"
INFORMANT_VARIABLES = {
    "Kjønn": "gender",
    "Aldersgruppe": "age_band",
    "Tid i tjenesten": "length_of_service",
    "Rekruttert gjennom": "recruited_through",
}


def _informants(evaluation, found: Preview) -> list[tuple[object, dict]]:
    """An informant for each case (one of the same code is reused), with the case itself.

    The group and site come from the case's variables as BSB Studio exports them ("Importert"
    when absent); the other sampling attributes follow; the rest are kept as attributes.
    """
    from bsbstudio.evaluations.models import Site
    from bsbstudio.fieldwork.models import Informant
    from bsbstudio.guide.models import InformantGroup

    rows = []
    for case in found.cases:
        code = case["name"][:30]
        if not code:
            continue
        informant = Informant.objects.filter(evaluation=evaluation, code=code).first()
        if informant is None:
            values = dict(case["values"])
            group_name = values.pop(GROUP_VARIABLE, "Importert")[:100]
            group = InformantGroup.objects.filter(evaluation=evaluation, name=group_name).first()
            if group is None:
                taken = set(evaluation.informant_groups.values_list("code", flat=True))
                number = 1
                while f"I{number}" in taken:
                    number += 1
                order = evaluation.informant_groups.count()
                group = InformantGroup.objects.create(
                    evaluation=evaluation, code=f"I{number}", name=group_name, order=order
                )
            site_name = values.pop(SITE_VARIABLE, "")[:200]
            site = None
            if site_name:
                site, _created = Site.objects.get_or_create(evaluation=evaluation, name=site_name)
            fields = {
                field: values.pop(label)[: Informant._meta.get_field(field).max_length]
                for label, field in INFORMANT_VARIABLES.items()
                if label in values
            }
            informant = Informant.objects.create(
                evaluation=evaluation,
                code=code,
                group=group,
                site=site,
                attributes=values,
                **fields,
            )
        rows.append((informant, case))
    return rows


def _participants(evaluation, interview, source: Source, informants) -> None:
    """Make each case of ``source`` a participant, under the speaker label its passages start in.

    A case with no passage in the text speaks under its own code (which links the turns when the
    transcript labels them so).
    """
    from bsbstudio.fieldwork.models import Participation

    starts = {s.guid: source.offsets[s.start] for s in source.selections}
    turns = source.parsed.turns
    taken: set[str] = set()
    for informant, case in informants:
        if source.guid not in case["sources"]:
            continue
        labels = [
            next((t.speaker for t in turns if starts[g] <= t.end), "")
            for g in case["selections"]
            if g in starts
        ]
        labels = [label for label in labels if label and label not in taken]
        label = max(set(labels), key=labels.count) if labels else informant.code
        if label.casefold() in {t.casefold() for t in taken}:
            continue
        taken.add(label)
        Participation.objects.create(
            interview=interview, informant=informant, speaker_code=label[:30]
        )


def _interview_code(evaluation, used: set[str], number: int) -> str:
    while True:
        code = f"IMP-{number:02d}"
        if code not in used:
            used.add(code)
            return code
        number += 1


def import_project(
    actor,
    path: Path | str,
    evaluation=None,
    code_choices: dict[str, int | None] | None = None,
    *,
    filename: str = "",
    new_name: str = "",
    new_slug: str = "",
    site=None,
    _fail_after=None,
) -> ImportResult:
    """Import the archive at ``path`` into ``evaluation`` (or a new one), all or nothing.

    ``code_choices`` maps a code GUID to the pk of an existing code or None (a new emergent
    theme); codes left out are matched by name when the evaluation has that name. Each text
    source becomes an interview in ``site`` (default: a site called "Importert") with a raw
    transcript waiting for de-identification review; its codings wait as ``PendingCoding``.
    ``_fail_after`` (tests) raises after that many transcripts, to prove nothing is left.
    """
    started = time.monotonic()
    filename = filename or Path(path).name
    found = preview(path, filename)
    from bsbstudio.evaluations.models import Site
    from bsbstudio.fieldwork.models import Interview
    from bsbstudio.transcripts.actions import import_transcript

    with transaction.atomic():
        if evaluation is None:
            evaluation = _new_evaluation(
                actor, new_name or found.project_name or filename, new_slug
            )
        require(actor, evaluation, Action.IMPORT_PROJECT)
        result = ImportResult(evaluation)
        if site is None and found.text_sources:
            site, _created = Site.objects.get_or_create(
                evaluation=evaluation, name="Importert", defaults={"order": 999}
            )
        used = set(evaluation.interviews.values_list("code", flat=True))
        informants = _informants(evaluation, found)
        # After the sites and informants: the screen reads the evaluation's lists once, and a
        # site named in a note or a code is one of ours then, not a place to hide.
        screen = NoteScreen(evaluation)
        codes, result.codes_made, result.codes_matched = create_codes(
            actor, evaluation, found.codes, code_choices, screen
        )
        ours = found.origin.startswith(ORIGIN)
        for number, source in enumerate(found.text_sources, start=1):
            if _fail_after is not None and number > _fail_after:
                raise RuntimeError("import stopped on purpose (test)")
            interview = Interview.objects.create(
                evaluation=evaluation,
                code=_interview_code(evaluation, used, number),
                kind=Interview.Kind.INDIVIDUAL,
                site=site,
                status=Interview.Status.HELD,
                place=source.name[:200],
            )
            _participants(evaluation, interview, source, informants)
            transcript = import_transcript(actor, interview, source.parsed, source.name)
            rows = []
            if source.notes:
                rows.append(
                    PendingCoding(
                        transcript=transcript,
                        start=0,
                        end=0,
                        notes=screen.clean_all(source.notes),
                        source_guid=source.guid[:64],
                        created_by=actor,
                    )
                )
            for selection in source.selections:
                start, end = selection.start, selection.end
                if not ours:  # our own quotes are exactly as the coder chose them
                    start, end = _trimmed(source.text, start, end)
                start, end = source.offsets[start], source.offsets[end]
                notes = screen.clean_all(selection.notes)
                for index, guid in enumerate(selection.codes or [None]):
                    rows.append(
                        PendingCoding(
                            transcript=transcript,
                            code=codes[guid] if guid else None,
                            start=start,
                            end=max(end, start),
                            polarity=selection.polarity,
                            directness=selection.directness,
                            notes=notes if index == 0 else [],
                            source_guid=selection.guid[:64],
                            created_by=actor,
                        )
                    )
            PendingCoding.objects.bulk_create(rows)
            result.pending += len(rows)
            result.interviews.append(interview)
        for note in found.notes:
            if note["on"] in ("", "code"):  # the others wait with their text (carry)
                Memo.objects.create(
                    evaluation=evaluation,
                    code=codes.get(note["code"]) if note["on"] == "code" else None,
                    text=screen.clean(note["text"]),
                    author=actor,
                )
                result.memos += 1
        screen.save()
        result.screened = screen.replaced
        result.seconds = time.monotonic() - started
        record(
            actor,
            "exchange.import_qdpx",
            evaluation,
            evaluation,
            filename=filename[:200],
            origin=found.origin,
            interviews=len(result.interviews),
            codes_made=result.codes_made,
            codes_matched=result.codes_matched,
            codings=result.pending,
            memos=result.memos,
            screened=result.screened,
            skipped=found.counts["skipped_sources"],
            missing=found.counts["missing_sources"],
        )
    return result


def preview_json(found: Preview) -> str:
    """The preview as indented JSON (the dry run's output)."""
    return json.dumps(found.as_json(), ensure_ascii=False, indent=2)


__all__ = ["ImportFailed", "ImportRefused", "ImportResult", "Preview", "import_project", "preview"]

"""Export an evaluation (or one site) as a REFI-QDA project (``.qdpx``) for other analysis programs.

The archive holds ``project.qde`` (valid against Project.xsd, checked before anything is handed
out) and a flat ``sources/`` folder with one UTF-8 ``<GUID>.txt`` per de-identified text; the raw
transcript never leaves (invariant 2). Members appear as role and number, informants as cases
under their pseudonym code with the sampling attributes as variables, and each quote as one
``PlainTextSelection`` coded to its theme, its polarity and its directness (see
``codebook_export`` and docs/exchange.md). The leak guard runs first (invariant 3); a
commissioner gets approved texts and their quotes only, without memos and without who said
what; every export is audited. GUIDs and the archive's bytes are stable from one export to the
next while nothing changes.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from lxml import etree

from bsbstudio.accounts.models import Membership, Role
from bsbstudio.accounts.policy import Action, can
from bsbstudio.analysis.agreement import hidden_segments
from bsbstudio.analysis.models import CodedSegment, Memo
from bsbstudio.errors import gettext_noop
from bsbstudio.fieldwork.models import Informant, Participation
from bsbstudio.reports.exports import COMMAND_LINE, audit, check, guard
from bsbstudio.transcripts.models import DeidentifiedText

from .codebook_export import (
    ORIGIN,
    ExportRefused,
    append_codes,
    code_tree,
    codebook_texts,
    directness_guid,
    invalid,
    polarity_guid,
    xml_safe,
)
from .guids import guid
from .schema import PROJECT_NS, project_errors

NS = PROJECT_NS
SOURCES = "sources"
# A fixed time in the archive, so the same content gives the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# Case variables: the informant's sampling attributes, named in Norwegian whatever the page
# language, so an import can recognise them.
VARIABLES = (
    ("group", "Informantgruppe"),
    ("site", "Enhet"),
    ("gender", "Kjønn"),
    ("age_band", "Aldersgruppe"),
    ("length_of_service", "Tid i tjenesten"),
    ("recruited_through", "Rekruttert gjennom"),
)


@dataclass
class Scope:
    """What one export holds: texts, quotes, memos, informants, the people who made them."""

    texts: list[DeidentifiedText]
    segments: list[CodedSegment]
    memos: list[Memo]
    informants: list[Informant]
    sites: list
    groups: list
    approved_only: bool


def _when(moment: datetime.datetime | None) -> str | None:
    """An ``xsd:dateTime`` in UTC, to the second."""
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _attrs(**values) -> dict[str, str]:
    """XML attributes (characters XML cannot hold replaced), those without a value left out."""
    return {key: xml_safe(str(value)) for key, value in values.items() if value not in (None, "")}


def _sub(parent, tag: str, text: str | None = None, **attributes):
    element = etree.SubElement(parent, f"{{{NS}}}{tag}", _attrs(**attributes))
    if text is not None:
        element.text = xml_safe(text)
    return element


# -- what goes out --------------------------------------------------------------------------


def _texts(evaluation, site, approved_only: bool) -> list[DeidentifiedText]:
    """The de-identified texts: the newest of each transcript, and any older one with quotes."""
    texts = DeidentifiedText.objects.filter(transcript__interview__evaluation=evaluation)
    if site is not None:
        texts = texts.filter(transcript__interview__site=site)
    if approved_only:
        texts = texts.filter(approved_at__isnull=False)
    coded = set(
        CodedSegment.objects.filter(text__in=texts).values_list("text_id", flat=True).distinct()
    )
    chosen, seen = [], set()
    for text in texts.select_related("transcript__interview__site").order_by(
        "transcript__interview__code", "transcript_id", "-version", "pk"
    ):
        if text.transcript_id not in seen or text.pk in coded:
            chosen.append(text)
        seen.add(text.transcript_id)
    return chosen


def gather(actor, evaluation, site=None) -> Scope:
    """What ``actor`` may export of ``evaluation`` (or of one ``site`` of it)."""
    approved_only = actor is not COMMAND_LINE and not can(actor, evaluation, Action.VIEW_WORK)
    texts = _texts(evaluation, site, approved_only)
    segments = CodedSegment.objects.filter(text__in=[t.pk for t in texts])
    if actor is not COMMAND_LINE:
        segments = segments.exclude(hidden_segments(actor))  # a blind coder's partner's quotes
    segments = list(
        segments.select_related("turn__participation").order_by("text_id", "start", "end", "pk")
    )
    memos = [] if approved_only else _memos(evaluation, texts, segments)
    interviews = {t.transcript.interview_id for t in texts}
    informants = Informant.objects.filter(evaluation=evaluation)
    if site is not None:
        informants = informants.filter(
            Q(site=site) | Q(participations__interview_id__in=interviews)
        ).distinct()
    sites = [site] if site is not None else list(evaluation.sites.order_by("order", "name", "pk"))
    return Scope(
        texts=texts,
        segments=segments,
        memos=memos,
        informants=list(informants.select_related("group", "site").order_by("code", "pk")),
        sites=sites,
        groups=list(evaluation.informant_groups.order_by("order", "pk")),
        approved_only=approved_only,
    )


def _memos(evaluation, texts, segments) -> list[Memo]:
    """The memos on what goes out; a memo on a quote or text left out stays behind."""
    text_ids = {t.pk for t in texts}
    segment_ids = {s.pk for s in segments}
    kept = []
    for memo in Memo.objects.filter(evaluation=evaluation).order_by("created_at", "pk"):
        if memo.segment_id is not None:
            if memo.segment_id in segment_ids:
                kept.append(memo)
        elif memo.deidentified_text_id is not None:
            if memo.deidentified_text_id in text_ids:
                kept.append(memo)
        else:
            kept.append(memo)  # on a code (every code goes out) or on the whole evaluation
    return kept


def scanned_texts(scope: Scope, codes) -> list[str]:
    """What the leak guard reads: the texts, code names and descriptions, memos, case values."""
    values = [
        getattr(informant, attribute) or ""
        for informant in scope.informants
        for attribute in ("gender", "age_band", "length_of_service", "recruited_through")
    ]
    return [
        *(t.text for t in scope.texts),
        *codebook_texts(codes),
        *(m.text for m in scope.memos),
        *(v for v in values if v),
    ]


# -- the project.qde ------------------------------------------------------------------------


def _user_labels(evaluation, scope: Scope) -> dict[int, str]:
    """A pseudonymous label per person: their first role and a number ("Prosessleder 1")."""
    roles = list(Role.values)
    first_role: dict[int, str] = {}
    for user_id, role in Membership.objects.filter(evaluation=evaluation).values_list(
        "user_id", "role"
    ):
        if user_id not in first_role or roles.index(role) < roles.index(first_role[user_id]):
            first_role[user_id] = role
    labels, counts = {}, {}
    for user_id in sorted(first_role, key=lambda u: (roles.index(first_role[u]), u)):
        role = first_role[user_id]
        counts[role] = counts.get(role, 0) + 1
        labels[user_id] = f"{Role(role).label} {counts[role]}"
    referenced = {s.created_by_id for s in scope.segments} | {m.author_id for m in scope.memos}
    others = sorted(referenced - set(labels) - {None})
    for number, user_id in enumerate(others, start=1):
        labels[user_id] = _("Other person %(n)s") % {"n": number}
    return labels


def _note_name(text: str, limit: int = 60) -> str:
    """A note's name: its first line, shortened (an import leaves out a name its text begins with)."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def _source_name(text: DeidentifiedText) -> str:
    interview = text.transcript.interview
    return interview.code if text.version == 1 else f"{interview.code} v{text.version}"


def _check_offsets(text: DeidentifiedText, segment: CodedSegment) -> None:
    """A quote's offsets must pick out its own words from the text (code points, end exclusive)."""
    if not (0 <= segment.start < segment.end <= len(text.text)) or (
        text.text[segment.start : segment.end] != segment.quote
    ):
        raise ExportRefused(
            "offsets",
            gettext_noop(
                "A coded quote in %(source)s does not match its text, so nothing was "
                "exported. Open the text in the coding workbench and code the quote again."
            ),
            source=_source_name(text),
        )


def project_element(evaluation, site, scope: Scope, codes) -> etree._Element:
    """The ``<Project>`` element (not yet validated)."""
    name = evaluation.name if site is None else f"{evaluation.name} – {site.name}"
    root = etree.Element(
        f"{{{NS}}}Project",
        _attrs(name=xml_safe(name), origin=ORIGIN, creationDateTime=_when(evaluation.created_at)),
        nsmap={None: NS},
    )
    labels = _user_labels(evaluation, scope)

    def g(kind: str, key) -> str:
        return guid(evaluation, kind, key)

    def user(user_id) -> str | None:
        return g("user", user_id) if user_id in labels else None

    if labels:
        users = _sub(root, "Users")
        for user_id, label in labels.items():
            _sub(users, "User", guid=g("user", user_id), name=label)

    notes_of_code: dict[int, list[str]] = {}
    notes_of_text: dict[int, list[str]] = {}
    notes_of_segment: dict[int, list[str]] = {}
    project_notes: list[str] = []
    for memo in scope.memos:
        note = g("memo", memo.pk)
        if memo.segment_id is not None:
            notes_of_segment.setdefault(memo.segment_id, []).append(note)
        elif memo.deidentified_text_id is not None:
            notes_of_text.setdefault(memo.deidentified_text_id, []).append(note)
        elif memo.code_id is not None:
            notes_of_code.setdefault(memo.code_id, []).append(note)
        else:
            project_notes.append(note)

    append_codes(_sub(_sub(root, "CodeBook"), "Codes"), codes, NS, notes_of_code)

    if scope.informants:
        variables = _sub(root, "Variables")
        for key, label in VARIABLES:
            _sub(variables, "Variable", guid=g("variable", key), name=label, typeOfVariable="Text")
        _cases(root, evaluation, scope)

    if scope.texts:
        sources = _sub(root, "Sources")
        segments_of: dict[int, list[CodedSegment]] = {}
        for segment in scope.segments:
            segments_of.setdefault(segment.text_id, []).append(segment)
        for text in scope.texts:
            interview = text.transcript.interview
            source_guid = g("text", text.pk)
            element = _sub(
                sources,
                "TextSource",
                guid=source_guid,
                name=xml_safe(_source_name(text)),
                plainTextPath=f"internal://{source_guid}.txt",
                creatingUser=user(text.created_by_id),
                creationDateTime=_when(text.created_at),
            )
            where = interview.site.name if interview.site else ""
            _sub(
                element,
                "Description",
                ", ".join(filter(None, [interview.get_kind_display(), where])),
            )
            for segment in segments_of.get(text.pk, []):
                _check_offsets(text, segment)
                selection = _sub(
                    element,
                    "PlainTextSelection",
                    guid=g("segment", segment.pk),
                    startPosition=segment.start,
                    endPosition=segment.end,
                    creatingUser=user(segment.created_by_id),
                    creationDateTime=_when(segment.created_at),
                )
                for kind, target in (
                    ("theme", g("code", segment.code_id)),
                    ("polarity", polarity_guid(evaluation, segment.polarity)),
                    ("directness", directness_guid(evaluation, segment.directness)),
                ):
                    coding = _sub(
                        selection,
                        "Coding",
                        guid=g("coding", f"{segment.pk}/{kind}"),
                        creatingUser=user(segment.created_by_id),
                        creationDateTime=_when(segment.created_at),
                    )
                    _sub(coding, "CodeRef", targetGUID=target)
                for note in notes_of_segment.get(segment.pk, []):
                    _sub(selection, "NoteRef", targetGUID=note)
            for note in notes_of_text.get(text.pk, []):
                _sub(element, "NoteRef", targetGUID=note)

    if scope.memos:
        notes = _sub(root, "Notes")
        for number, memo in enumerate(scope.memos, start=1):
            note = _sub(
                notes,
                "Note",
                guid=g("memo", memo.pk),
                name=_note_name(memo.text) or _("Memo %(n)s") % {"n": number},
                creatingUser=user(memo.author_id),
                creationDateTime=_when(memo.created_at),
            )
            _sub(note, "PlainTextContent", memo.text)

    _sets(root, evaluation, scope)
    _sub(
        root,
        "Description",
        _(
            "Exported from BSB Studio. The texts are de-identified; the raw transcripts stay behind."
        ),
    )
    for note in project_notes:
        _sub(root, "NoteRef", targetGUID=note)
    return root


def _cases(root, evaluation, scope: Scope) -> None:
    """One case per informant, with the sampling attributes; the team's export says who said what."""
    text_of_interview = {}
    for text in scope.texts:
        text_of_interview.setdefault(text.transcript.interview_id, []).append(text.pk)
    interviews_of: dict[int, list[int]] = {}
    for informant_id, interview_id in Participation.objects.filter(
        informant__in=scope.informants
    ).values_list("informant_id", "interview_id"):
        interviews_of.setdefault(informant_id, []).append(interview_id)
    selections_of: dict[int, list[int]] = {}
    for segment in scope.segments:
        participation = segment.turn.participation if segment.turn else None
        if participation is not None:
            selections_of.setdefault(participation.informant_id, []).append(segment.pk)
    cases = _sub(root, "Cases")
    for informant in scope.informants:
        case = _sub(
            cases, "Case", guid=guid(evaluation, "informant", informant.pk), name=informant.code
        )
        values = {
            "group": informant.group.name,
            "site": informant.site.name if informant.site else "",
            **{
                key: getattr(informant, key)
                for key in ("gender", "age_band", "length_of_service", "recruited_through")
            },
        }
        for key, _label in VARIABLES:
            if values[key]:
                value = _sub(case, "VariableValue")
                _sub(value, "VariableRef", targetGUID=guid(evaluation, "variable", key))
                _sub(value, "TextValue", values[key])
        if scope.approved_only:
            continue  # a commissioner never learns who said what
        texts = sorted(
            {t for i in interviews_of.get(informant.pk, []) for t in text_of_interview.get(i, [])}
        )
        for text_id in texts:
            _sub(case, "SourceRef", targetGUID=guid(evaluation, "text", text_id))
        for segment_id in selections_of.get(informant.pk, []):
            _sub(case, "SelectionRef", targetGUID=guid(evaluation, "segment", segment_id))


def _sets(root, evaluation, scope: Scope) -> None:
    """A set of sources per site and per informant group (a set holds codes, sources, notes)."""
    groups_of_interview: dict[int, set[int]] = {}
    for interview_id, group_id in Participation.objects.filter(
        interview_id__in={t.transcript.interview_id for t in scope.texts}
    ).values_list("interview_id", "informant__group_id"):
        groups_of_interview.setdefault(interview_id, set()).add(group_id)
    members = []
    for site in scope.sites:
        sources = [t for t in scope.texts if t.transcript.interview.site_id == site.pk]
        members.append((("site", site.pk), site.name, _("Site"), sources))
    for group in scope.groups:
        sources = [
            t
            for t in scope.texts
            if group.pk in groups_of_interview.get(t.transcript.interview_id, set())
        ]
        members.append((("group", group.pk), group.name, _("Informant group"), sources))
    if not members:
        return  # an empty <Sets/> is not valid
    sets = _sub(root, "Sets")
    for (kind, pk), name, description, sources in members:
        element = _sub(sets, "Set", guid=guid(evaluation, f"set-{kind}", pk), name=xml_safe(name))
        _sub(element, "Description", str(description))
        for text in sources:
            _sub(element, "MemberSource", targetGUID=guid(evaluation, "text", text.pk))


# -- the archive ----------------------------------------------------------------------------


def _archive(files: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return out.getvalue()


def build_project(actor, evaluation, site=None) -> bytes:
    """The ``.qdpx`` of ``evaluation`` (or one ``site``) for ``actor``, validated and audited.

    Raises PermissionDenied or Http404 (not allowed), LeakRisk (the leak guard found an
    identifier nobody has reviewed) or ExportRefused (the file would not be valid); nothing is
    handed out then.
    """
    check(actor, evaluation, Action.VIEW_REPORTS)
    if site is not None and site.evaluation_id != evaluation.pk:
        raise ExportRefused("site", gettext_noop("That site is not part of this evaluation."))
    scope = gather(actor, evaluation, site)
    codes = code_tree(evaluation)
    guard(evaluation, scanned_texts(scope, codes))
    with translation.override(settings.LANGUAGE_CODE):  # the same file whoever downloads it
        root = project_element(evaluation, site, scope, codes)
    errors = project_errors(root)
    if errors:
        raise invalid(errors)
    qde = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    files = [("project.qde", qde)]
    files += [
        (f"{SOURCES}/{guid(evaluation, 'text', t.pk)}.txt", t.text.encode("utf-8"))
        for t in scope.texts
    ]
    content = _archive(files)
    audit(
        actor,
        "exchange.qdpx",
        evaluation,
        format="qdpx",
        site=site.name if site is not None else "",
        sources=len(scope.texts),
        quotes=len(scope.segments),
        notes=len(scope.memos),
        approved_only=scope.approved_only,
        bytes=len(content),
    )
    return content

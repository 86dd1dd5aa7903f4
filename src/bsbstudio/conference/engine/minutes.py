"""Build the minutes (referat) of a dialogue conference as a report document model.

The input is plain data already read from the database; the labels come translated from the
caller, so this module needs neither Django nor a language of its own. The document is drawn by
the reports engine's DOCX renderer or by :mod:`bsbstudio.reports.engine.pdf_renderer`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bsbstudio.reports.engine.document import Bullets, Document, Heading, Paragraph, Table


@dataclass(frozen=True, slots=True)
class GroupMinutes:
    """One work group: who was in it, what it discussed and what it brought out."""

    name: str
    roles: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    discussion: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()
    plenum: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MinutesInput:
    """Everything the minutes say; ``labels`` holds every fixed word, already translated."""

    title: str
    labels: dict[str, str]
    facts: tuple[tuple[str, str], ...] = ()  # (label, value) for the title block
    agenda: tuple[tuple[str, str, str], ...] = ()  # (time, title, description)
    participants: tuple[tuple[str, int], ...] = ()  # (role, count)
    groups: tuple[GroupMinutes, ...] = ()
    plenum_notes: str = ""
    validations: tuple[tuple[str, str, str], ...] = ()  # (theme, status, from where)
    summary: str = ""
    approved: str = ""  # "Approved by X on date", or empty for a draft
    created: date | None = None
    language: str = "nb-NO"


def texts_to_scan(data: MinutesInput) -> list[str]:
    """What the leak guard scans: everything written at or about the conference's content.

    The title block (title, place, date, leaders) comes from the plan, where naming is deliberate.
    """
    texts = [d for _t, _title, d in data.agenda]
    for group in data.groups:
        texts += [group.name, *group.questions, *group.discussion, *group.measures, *group.plenum]
    texts += [data.plenum_notes, data.summary]
    texts += [theme for theme, _s, _w in data.validations]
    return [t for t in texts if t and t.strip()]


def _paragraphs(text: str) -> list[Paragraph]:
    return [Paragraph(part.strip()) for part in text.split("\n\n") if part.strip()]


def build_minutes(data: MinutesInput) -> Document:
    """The minutes in reading order: facts, agenda, participants, groups, plenum, validation."""
    label = data.labels
    doc = Document(
        title=data.title, subject=label["minutes"], language=data.language, created=data.created
    )
    doc.add(Heading(0, f"{label['minutes']}: {data.title}"))
    for name, value in data.facts:
        if value:
            doc.add(Paragraph(f"{name}: {value}", role="meta"))
    doc.add(Paragraph(data.approved or label["draft"], role="note"))
    if data.agenda:
        doc.add(Heading(1, label["agenda"]))
        doc.add(
            Table(
                (label["time"], label["session"]),
                tuple(
                    (time, f"{title}\n{desc}" if desc else title)
                    for time, title, desc in data.agenda
                ),
            )
        )
    if data.participants:
        doc.add(Heading(1, label["participants"]))
        total = sum(n for _role, n in data.participants)
        rows = tuple((role, str(n)) for role, n in data.participants)
        doc.add(Table((label["role"], label["count"]), (*rows, (label["total"], str(total)))))
    if data.groups:
        doc.add(Heading(1, label["groups"]))
    for group in data.groups:
        doc.add(Heading(2, group.name))
        if group.roles:
            doc.add(Paragraph(f"{label['roles']}: {', '.join(group.roles)}", role="meta"))
        if group.themes:
            doc.add(Paragraph(f"{label['themes']}: {', '.join(group.themes)}", role="meta"))
        for key, items in (
            ("questions", group.questions),
            ("discussion", group.discussion),
            ("measures", group.measures),
            ("plenum", group.plenum),
        ):
            if items:
                doc.add(Heading(3, label[key]), Bullets(tuple(items)))
    if data.plenum_notes.strip():
        doc.add(Heading(1, label["plenum_notes"]), *_paragraphs(data.plenum_notes))
    if data.validations:
        doc.add(Heading(1, label["validation"]))
        doc.add(
            Table(
                (label["theme"], label["status"], label["source"]),
                tuple(data.validations),
            )
        )
    doc.add(Heading(1, label["summary"]))
    doc.add(*(_paragraphs(data.summary) or [Paragraph(label["no_summary"], role="note")]))
    return doc

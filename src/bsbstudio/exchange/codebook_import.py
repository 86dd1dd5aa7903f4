"""Read a REFI-QDA codebook (a ``.qdc``, or the ``CodeBook`` inside a project) into analysis codes.

Codes nest in the XML; some programs (ATLAS.ti) write them flat with ``::`` in the name instead
("Coke::diet Coke"), which is read as the same tree. Imported codes become emergent themes with
their parents, colours and descriptions; a code whose name the evaluation already has is matched
to that code instead of being duplicated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from lxml import etree

from bsbstudio.accounts.audit import record
from bsbstudio.accounts.policy import Action, require
from bsbstudio.analysis.models import Code

from .archive import refuse
from .notes import NoteScreen
from .schema import CODEBOOK_NS, codebook_errors, safe_parser

MAX_XML_BYTES = 50 * 1024 * 1024
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_NAME_LIMIT = Code._meta.get_field("name").max_length


@dataclass
class CodeItem:
    """One code read from the XML: its leaf name, its parent's GUID, colour and description."""

    guid: str
    name: str
    parent: str | None = None
    colour: str = ""
    description: str = ""
    path: tuple[str, ...] = field(default_factory=tuple)

    def as_json(self) -> dict:
        """The code as the dry run prints it."""
        return {"guid": self.guid, "name": self.name, "parent": self.parent, "path": self.path}


def norm_guid(value: str | None) -> str:
    """A GUID as compared here: upper case, no braces (programs write lower case too)."""
    return (value or "").strip().strip("{}").upper()


def parse_xml(data: bytes, filename: str, entry: str, namespace: str, root: str, kind: str):
    """Parse untrusted REFI-QDA XML: size limit, no DTD or entity, the expected root and namespace."""
    if len(data) > MAX_XML_BYTES:
        raise refuse(
            "xml_too_large",
            filename,
            entry=entry,
            size_mb=len(data) / 1e6,
            limit_mb=MAX_XML_BYTES / 1e6,
        )
    upper = data.upper()
    if any(word.encode(enc) in upper for word in ("<!DOCTYPE", "<!ENTITY") for enc in _ENCODINGS):
        raise refuse("dtd", filename, entry=entry)
    try:
        element = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as error:
        raise refuse("malformed", filename, entry=entry, detail=str(error)[:200]) from None
    except ValueError as error:  # lxml refuses some encodings declarations outright
        raise refuse("malformed", filename, entry=entry, detail=str(error)[:200]) from None
    docinfo = element.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise refuse("dtd", filename, entry=entry)
    expected = f"{{{namespace}}}{root}"
    if element.tag != expected:
        raise refuse(
            "namespace",
            filename,
            entry=entry,
            kind=kind,
            found=str(element.tag)[:120],
            expected=expected,
        )
    return element


_ENCODINGS = ("ascii", "utf-16-le", "utf-16-be")


def read_codes(codes_element, namespace: str) -> list[CodeItem]:
    """The codes under a ``<Codes>`` element, parents before children.

    Nested codes keep their nesting; a top-level code named with ``::`` hangs under the code
    named by the part before (made when the project has none of that name).
    """
    if codes_element is None:
        return []
    tag = f"{{{namespace}}}Code"
    items: list[CodeItem] = []

    def walk(element, parent: CodeItem | None) -> None:
        for child in element.iterchildren(tag):
            description = child.find(f"{{{namespace}}}Description")
            colour = child.get("color", "")
            item = CodeItem(
                guid=norm_guid(child.get("guid")),
                name=(child.get("name") or "").strip()[:_NAME_LIMIT],
                parent=parent.guid if parent else None,
                colour=colour if _COLOUR.match(colour) else "",
                description=(description.text or "").strip() if description is not None else "",
            )
            item.path = (*parent.path, item.name) if parent else (item.name,)
            items.append(item)
            walk(child, item)

    walk(codes_element, None)
    return _flat_to_tree(items)


def _flat_to_tree(items: list[CodeItem]) -> list[CodeItem]:
    """Hang top-level ``A::B`` codes under ``A`` (made when missing); parents come first."""
    by_path = {item.path: item for item in items}
    made: list[CodeItem] = []
    for item in items:
        if item.parent is not None or "::" not in item.name:
            continue
        parts = tuple(p.strip() for p in item.name.split("::") if p.strip())
        if len(parts) < 2:
            continue
        parent = None
        for depth in range(1, len(parts)):
            path = parts[:depth]
            if path not in by_path:
                made_item = CodeItem(
                    guid=f"PATH:{'::'.join(path)}",
                    name=path[-1],
                    parent=parent.guid if parent else None,
                    path=path,
                )
                by_path[path] = made_item
                made.append(made_item)
            parent = by_path[path]
        item.name, item.path, item.parent = parts[-1], parts, parent.guid
        by_path[parts] = item
    ordered: list[CodeItem] = []
    placed: set[str] = set()
    pending = made + items
    # Parents first: a flat export may list "A::B" before "A".
    while pending:
        rest = [i for i in pending if i.parent is not None and i.parent not in placed]
        ready = [i for i in pending if i not in rest]
        if not ready:  # a parent that never comes: hang the rest at the top
            for item in rest:
                item.parent = None
            ready, rest = rest, []
        ordered += ready
        placed.update(i.guid for i in ready)
        pending = rest
    return ordered


def read_codebook(data: bytes, filename: str) -> tuple[list[CodeItem], list[str]]:
    """The codes of a ``.qdc`` file and the schema's complaints (warnings, not refusals)."""
    root = parse_xml(data, filename, filename, CODEBOOK_NS, "CodeBook", "codebook")
    codes = read_codes(root.find(f"{{{CODEBOOK_NS}}}Codes"), CODEBOOK_NS)
    return codes, codebook_errors(root)


def existing_codes(evaluation) -> dict[tuple[int | None, str], Code]:
    """The evaluation's codes by (parent pk, folded name); the first where two share both."""
    found: dict[tuple[int | None, str], Code] = {}
    for code in Code.objects.filter(evaluation=evaluation).order_by("kind", "order", "pk"):
        found.setdefault((code.parent_id, code.name.casefold()), code)
    return found


def create_codes(
    actor,
    evaluation,
    items: list[CodeItem],
    choices: dict[str, int | None] | None = None,
    screen: NoteScreen | None = None,
) -> tuple[dict[str, Code], int, int]:
    """Make or match a Code for each item; return (codes by GUID, made, matched).

    ``choices`` maps a GUID to the pk of an existing code to use, or None for a new emergent
    theme; a GUID left out is matched by name to a code under the same parent (at the top: any
    top-level code, guide themes included), so a tree imported twice is not duplicated. A new
    code's name and description come from another program, so they pass ``screen`` (the notes'
    de-identification; one is made, and its pseudonyms saved, when none is given) before they
    are stored: a code named after a person becomes "[NAVN 1]". The caller checks permission
    and holds the transaction.
    """
    own_screen = screen is None
    screen = screen or NoteScreen(evaluation)
    choices = choices or {}
    known = existing_codes(evaluation)
    chosen_pks = [v for v in choices.values() if v]
    allowed = {c.pk: c for c in Code.objects.filter(evaluation=evaluation, pk__in=chosen_pks)}
    last = Code.objects.filter(evaluation=evaluation).order_by("-order").first()
    next_order = last.order + 1 if last else 0
    by_guid: dict[str, Code] = {}
    made = matched = 0
    for item in items:
        parent = by_guid.get(item.parent) if item.parent else None
        if item.guid in choices:
            code = allowed.get(choices[item.guid]) if choices[item.guid] else None
        else:
            code = known.get((parent.pk if parent else None, item.name.casefold()))
        name = screen.clean(item.name or "?")[:_NAME_LIMIT]
        if code is None and item.guid not in choices:
            # A second import of the same tree finds the screened name it stored the first time.
            code = known.get((parent.pk if parent else None, name.casefold()))
        if code is not None:
            by_guid[item.guid] = code
            matched += 1
            continue
        code = Code.objects.create(
            evaluation=evaluation,
            name=name,
            kind=Code.Kind.EMERGENT,
            order=next_order,
            parent=parent,
            colour=item.colour,
            description=screen.clean(item.description),
        )
        next_order += 1
        known.setdefault((code.parent_id, code.name.casefold()), code)
        by_guid[item.guid] = code
        made += 1
    if own_screen:
        screen.save()
    return by_guid, made, matched


@transaction.atomic
def import_codebook(actor, evaluation, data: bytes, filename: str = "codebook.qdc") -> dict:
    """Import a ``.qdc`` codebook into ``evaluation``; return counts (made, matched, warnings).

    Process leader only; all or nothing; audited.
    """
    require(actor, evaluation, Action.IMPORT_PROJECT)
    items, warnings = read_codebook(data, filename)
    _codes, made, matched = create_codes(actor, evaluation, items)
    record(
        actor,
        "exchange.import_codebook",
        evaluation,
        evaluation,
        filename=filename[:200],
        made=made,
        matched=matched,
    )
    return {"codes": len(items), "made": made, "matched": matched, "warnings": warnings}

"""Export an evaluation's code tree as a REFI-QDA codebook (``.qdc``, valid against Codebook.xsd).

The tree is the one the project export (``qdpx_export``) writes, with the same GUIDs: guide
themes with their sub-themes (the guide's tree), emergent themes under their parent code, and
two fixed parents that carry what REFI-QDA has no field for, the polarity of a quote
("Polaritet": Positiv, Kritisk, Nøytral) and whether it is direct or indirect ("Direkthet":
Direkte, Indirekte). Their names are fixed in Norwegian, whatever the page language, so that
an import can recognise them (see docs/exchange.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from bsbstudio.accounts.policy import Action
from bsbstudio.analysis.actions import code_forest, code_parents
from bsbstudio.analysis.colours import colours_of
from bsbstudio.analysis.models import Code, CodedSegment
from bsbstudio.errors import UserFacingError, gettext_noop
from bsbstudio.reports.exports import audit, check, guard

from .guids import guid
from .schema import CODEBOOK_NS, codebook_errors

ORIGIN = "BSB Studio"

POLARITY_PARENT = "Polaritet"
POLARITY_CODES = {
    CodedSegment.Polarity.POSITIVE: "Positiv",
    CodedSegment.Polarity.CRITICAL: "Kritisk",
    CodedSegment.Polarity.NEUTRAL: "Nøytral",
}
DIRECTNESS_PARENT = "Direkthet"
DIRECTNESS_CODES = {
    CodedSegment.Directness.DIRECT: "Direkte",
    CodedSegment.Directness.INDIRECT: "Indirekte",
}

RGB = re.compile(r"#[0-9A-Fa-f]{6}")
# Characters XML 1.0 cannot hold (control characters other than tab and line breaks, and the
# two non-characters); a memo pasted from elsewhere may carry one.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class ExportRefused(UserFacingError):
    """An export that cannot be written; nothing was written."""


def xml_safe(text: str) -> str:
    """``text`` with characters XML cannot hold replaced by U+FFFD."""
    return NOT_XML.sub("\ufffd", text)


@dataclass
class CodeNode:
    """A code of the tree, with the codes under it."""

    guid: str
    name: str
    description: str = ""
    colour: str | None = None
    codable: bool = True
    pk: int | None = None
    children: list[CodeNode] = field(default_factory=list)


def polarity_guid(evaluation, value: str) -> str:
    """The GUID of the polarity code ``value`` (a ``CodedSegment.Polarity`` value)."""
    return guid(evaluation, "polarity", value)


def directness_guid(evaluation, value: str) -> str:
    """The GUID of the directness code ``value`` (a ``CodedSegment.Directness`` value)."""
    return guid(evaluation, "directness", value)


def _colour(value: str) -> str | None:
    """A swatch colour as "#RRGGBB" (REFI-QDA's form), or None when it is not one."""
    return value.upper() if RGB.fullmatch(value) else None


def code_tree(evaluation) -> list[CodeNode]:
    """The evaluation's codes as the coding pages show the tree, then polarity and directness.

    Guide sub-themes sit under their guide theme, emergent themes under the code chosen for
    them; a code caught in a cycle stands on top.
    """
    codes = list(
        Code.objects.filter(evaluation=evaluation)
        .select_related("theme")
        .order_by("kind", "order", "pk")
    )
    roots, children = code_forest(codes, code_parents(evaluation))
    # The same call, over the same list in the same order, as the coding workbench
    # (analysis.views._code_tree), so a code has the colour there that it has here.
    swatches = colours_of([(code.pk, code.colour) for code in codes])

    def walk(level: list[Code]) -> list[CodeNode]:
        nodes = []
        for code in level:
            node = CodeNode(
                guid=guid(evaluation, "code", code.pk),
                name=xml_safe(code.name),
                description=xml_safe(
                    code.description or (code.theme.description if code.theme else "")
                ),
                colour=_colour(swatches[code.pk]),
                pk=code.pk,
            )
            node.children = walk(children.get(code.pk, []))
            nodes.append(node)
        return nodes

    tree = walk(roots)
    for kind, name, values in (
        ("polarity", POLARITY_PARENT, POLARITY_CODES),
        ("directness", DIRECTNESS_PARENT, DIRECTNESS_CODES),
    ):
        parent = CodeNode(guid(evaluation, kind, "parent"), name, codable=False)
        parent.children = [
            CodeNode(guid(evaluation, kind, value), label) for value, label in values.items()
        ]
        tree.append(parent)
    return tree


def append_codes(parent: etree._Element, nodes: list[CodeNode], ns: str, notes=None) -> None:
    """Write ``nodes`` as ``<Code>`` elements under ``parent`` in the order the XSD asks.

    ``notes`` maps a code's primary key to the GUIDs of its notes (a project may hold them, a
    codebook may not).
    """
    for node in nodes:
        attributes = {"guid": node.guid, "name": node.name, "isCodable": str(node.codable).lower()}
        if node.colour:
            attributes["color"] = node.colour
        element = etree.SubElement(parent, f"{{{ns}}}Code", attributes)
        if node.description:
            etree.SubElement(element, f"{{{ns}}}Description").text = node.description
        for note in (notes or {}).get(node.pk, []):
            etree.SubElement(element, f"{{{ns}}}NoteRef", targetGUID=note)
        append_codes(element, node.children, ns, notes)


def codebook_texts(nodes: list[CodeNode]) -> list[str]:
    """The names and descriptions in the tree, for the leak guard."""
    texts = []
    for node in nodes:
        texts += [node.name, node.description, *codebook_texts(node.children)]
    return [t for t in texts if t]


def invalid(errors: list[str]) -> ExportRefused:
    """The refusal for a file that does not validate (a fault of ours: the person can only report it)."""
    return ExportRefused(
        "invalid",
        gettext_noop("The exchange file could not be made valid, so it was not written: %(error)s"),
        error=errors[0],
    )


def build_codebook(evaluation) -> bytes:
    """The codebook as ``.qdc`` bytes (UTF-8, with a declaration); ExportRefused if it is invalid."""
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS}, origin=ORIGIN)
    append_codes(
        etree.SubElement(root, f"{{{CODEBOOK_NS}}}Codes"), code_tree(evaluation), CODEBOOK_NS
    )
    errors = codebook_errors(root)
    if errors:
        raise invalid(errors)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def export_codebook(actor, evaluation) -> bytes:
    """The codebook for ``actor`` (the team's), after the leak guard over its names; audited."""
    check(actor, evaluation, Action.VIEW_WORK)
    guard(evaluation, codebook_texts(code_tree(evaluation)))
    content = build_codebook(evaluation)
    audit(actor, "exchange.qdc", evaluation, format="qdc", bytes=len(content))
    return content

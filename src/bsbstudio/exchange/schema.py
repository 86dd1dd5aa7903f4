"""The REFI-QDA schemas (QDA-XML 1.0): namespaces, and validation of what we write or read.

The two XSD files ship in ``schemas/`` with their MIT licence, because every export is validated
before it is written (the REFI-QDA README asks that every export validate), and that must work
on a machine with no network and no copy of the standard beside it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
SCHEMA_DIR = Path(__file__).with_name("schemas")


def safe_parser() -> etree.XMLParser:
    """A parser that reads no DTD, resolves no entity and opens no network connection."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
    )


@cache
def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / name), safe_parser()))


def _errors(schema: etree.XMLSchema, document: bytes | etree._Element) -> list[str]:
    """The schema's complaints about ``document`` ("line N: message"), empty when it validates."""
    if isinstance(document, bytes):
        document = etree.fromstring(document, safe_parser())
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def project_errors(document: bytes | etree._Element) -> list[str]:
    """What makes ``document`` (a ``project.qde``) invalid against ``Project.xsd``."""
    return _errors(_schema("Project.xsd"), document)


def codebook_errors(document: bytes | etree._Element) -> list[str]:
    """What makes ``document`` (a ``.qdc``) invalid against ``Codebook.xsd``."""
    return _errors(_schema("Codebook.xsd"), document)

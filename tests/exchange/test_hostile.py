"""Hostile REFI-QDA archives: each is refused with a message naming the file, and nothing is written."""

from __future__ import annotations

import stat
import zipfile

import pytest
from django.utils import translation

from bsbstudio.analysis.models import Code
from bsbstudio.exchange.archive import ImportRefused, Limits, QdpxArchive
from bsbstudio.exchange.qdpx_import import import_project, preview
from bsbstudio.web.messages import user_message

GOOD_QDE = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<Project xmlns="urn:QDA-XML:project:1.0" name="p"><CodeBook><Codes>'
    '<Code guid="11111111-1111-1111-1111-111111111111" name="Fiendtlig" isCodable="true"/>'
    "</Codes></CodeBook></Project>"
)

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol3;"/>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&xxe;"/>"""


def _zip(path, entries):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return path


def _file(path, data: bytes):
    path.write_bytes(data)
    return path


def _symlink_entry():
    info = zipfile.ZipInfo("sources/link.txt")
    info.create_system = 3  # Unix: the mode in the high bits is read
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def _absolute_entry():
    info = zipfile.ZipInfo("x")
    info.filename = "/etc/evil.txt"  # ZipInfo would strip the slash; an attacker's tool does not
    return info


HOSTILE = {
    "zip_bomb": lambda p: _zip(
        p, [("project.qde", GOOD_QDE), ("sources/bomb.txt", b"\0" * 5_000_000)]
    ),
    "too_many_entries": lambda p: _zip(
        p, [("project.qde", GOOD_QDE)] + [(f"sources/{i}.txt", b"x") for i in range(5_001)]
    ),
    "unsafe_path": lambda p: _zip(p, [("project.qde", GOOD_QDE), ("../../evil.txt", b"x")]),
    "absolute_path": lambda p: _zip(p, [("project.qde", GOOD_QDE), (_absolute_entry(), b"x")]),
    "link": lambda p: _zip(p, [("project.qde", GOOD_QDE), (_symlink_entry(), "/etc/passwd")]),
    "dtd": lambda p: _zip(p, [("project.qde", BILLION_LAUGHS)]),
    "external_entity": lambda p: _zip(p, [("project.qde", EXTERNAL_ENTITY)]),
    "namespace": lambda p: _zip(
        p, [("project.qde", GOOD_QDE.replace("urn:QDA-XML:project:1.0", "urn:evil"))]
    ),
    "malformed": lambda p: _zip(p, [("project.qde", GOOD_QDE[:-12])]),
    "not_zip": lambda p: _file(p, b"%PDF-1.4 not a zip at all"),
    "empty": lambda p: _file(p, b""),
    "no_project": lambda p: _zip(p, [("sources/a.txt", b"I: hei")]),
}
EXPECTED_CODE = {"absolute_path": "unsafe_path", "external_entity": "dtd"}


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_archive_is_refused_with_a_message(kind, tmp_path):
    path = HOSTILE[kind](tmp_path / "fiendtlig.qdpx")
    with pytest.raises(ImportRefused) as refused:
        preview(path)
    assert refused.value.code == EXPECTED_CODE.get(kind, kind)
    with translation.override("nb"):
        message = user_message(refused.value)
    assert "fiendtlig.qdpx" in message


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["zip_bomb", "unsafe_path", "link", "dtd", "malformed"])
def test_hostile_archive_imports_nothing(kind, tmp_path, evaluation, user):
    path = HOSTILE[kind](tmp_path / "fiendtlig.qdpx")
    codes = Code.objects.count()
    with pytest.raises(ImportRefused):
        import_project(user("process_leader"), path, evaluation)
    assert Code.objects.count() == codes
    assert not Code.objects.filter(name="Fiendtlig").exists()


def test_the_good_archive_of_these_tests_is_accepted(tmp_path):
    path = _zip(tmp_path / "ok.qdpx", [("project.qde", GOOD_QDE)])
    assert [c.name for c in preview(path).codes] == ["Fiendtlig"]


def _patched(path, entries, patch):
    """A zip of ``entries`` with ``patch(data)`` applied to its bytes (what a hostile tool writes)."""
    _zip(path, entries)
    path.write_bytes(patch(path.read_bytes()))
    return path


def _encrypted(data: bytes) -> bytes:
    # Set the "encrypted" flag in every local and central header; the data stays readable.
    out = bytearray(data)
    for signature, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        index = out.find(signature)
        while index >= 0:
            out[index + at] |= 0x01
            index = out.find(signature, index + 4)
    return bytes(out)


def _bad_crc(data: bytes) -> bytes:
    # Change one byte of the stored project XML: its checksum no longer matches.
    out = bytearray(data)
    at = out.find(b"Fiendtlig")
    out[at] = ord("X")
    return bytes(out)


def _duplicate(path):
    with pytest.warns(UserWarning):
        return _zip(
            path, [("project.qde", GOOD_QDE), ("sources/a.txt", b"a"), ("sources/a.txt", b"b")]
        )


def _stored(path, entries):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return path


MORE_HOSTILE = {
    "encrypted": lambda p: _patched(
        p, [("project.qde", GOOD_QDE), ("sources/a.txt", b"a")], _encrypted
    ),
    "duplicate": _duplicate,
    "damaged": lambda p: _file(p, _bad_crc(_stored(p, [("project.qde", GOOD_QDE)]).read_bytes())),
}


@pytest.mark.parametrize("kind", MORE_HOSTILE)
def test_encrypted_duplicate_and_damaged_archives_are_refused(kind, tmp_path):
    path = MORE_HOSTILE[kind](tmp_path / "fiendtlig.qdpx")
    with pytest.raises(ImportRefused) as refused:
        preview(path)
    assert refused.value.code == kind
    with translation.override("nb"):
        assert "fiendtlig.qdpx" in user_message(refused.value)


@pytest.mark.parametrize(
    "limits, code",
    [
        (Limits(entry_bytes=1000), "entry_too_large"),
        (Limits(total_bytes=1500), "too_large"),
    ],
)
def test_an_entry_or_an_archive_over_the_size_limits_is_refused(limits, code, tmp_path):
    # The real limits (100 MB an entry, 500 MB in all) with small numbers, so the test stays small.
    path = _zip(
        tmp_path / "fiendtlig.qdpx",
        [("project.qde", GOOD_QDE), ("sources/a.txt", "æ" * 600), ("sources/b.txt", "ø" * 400)],
    )
    with pytest.raises(ImportRefused) as refused:
        QdpxArchive(path, limits=limits)
    assert refused.value.code == code
    with translation.override("nb"):
        assert "fiendtlig.qdpx" in user_message(refused.value)

"""Open an untrusted REFI-QDA archive (``.qdpx``) safely and read its entries into memory.

The archive comes from another program, or from anyone: its directory is checked before a byte
is decompressed (too many entries, too much data, an entry that expands far beyond its
compressed size, names that point outside the archive, links, encryption), and every read is
capped at the size the directory declares. Nothing is written to disk. Entry names are matched
case-insensitively (``Project.qde`` or ``project.qde``, ``Sources/`` or ``sources/``), because
real exports spell them both ways.
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from bsbstudio.errors import UserFacingError, gettext_noop

MAX_ENTRIES = 5_000
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_ENTRY_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024  # smaller entries are not ratio-checked: XML compresses 20 times

_READ_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, ValueError)
_DRIVE = re.compile(r"^[A-Za-z]:")

TEMPLATES = {
    "empty": gettext_noop("The file %(filename)s is empty."),
    "not_zip": gettext_noop(
        "The file %(filename)s is not a REFI-QDA project (.qdpx): it is not a zip archive."
    ),
    "damaged": gettext_noop("The file %(filename)s could not be read. It may be damaged."),
    "too_many_entries": gettext_noop(
        "The file %(filename)s was refused: it holds %(count)s files, more than the %(limit)s "
        "allowed."
    ),
    "too_large": gettext_noop(
        "The file %(filename)s was refused: unpacked it would take %(size_mb).0f MB, more than the "
        "%(limit_mb).0f MB allowed."
    ),
    "entry_too_large": gettext_noop(
        "The file %(filename)s was refused: %(entry)s inside it would take %(size_mb).0f MB, more "
        "than the %(limit_mb).0f MB allowed."
    ),
    "zip_bomb": gettext_noop(
        "The file %(filename)s was refused: %(entry)s inside it is packed far tighter than any "
        "real file (a so-called zip bomb)."
    ),
    "unsafe_path": gettext_noop(
        "The file %(filename)s was refused: the name %(entry)s points outside the archive."
    ),
    "link": gettext_noop(
        "The file %(filename)s was refused: %(entry)s inside it is a link to another file."
    ),
    "encrypted": gettext_noop(
        "The file %(filename)s was refused: %(entry)s inside it is protected by a password."
    ),
    "duplicate": gettext_noop(
        "The file %(filename)s was refused: it holds two files called %(entry)s."
    ),
    "size_mismatch": gettext_noop(
        "The file %(filename)s was refused: %(entry)s inside it is larger than the archive says."
    ),
    "no_project": gettext_noop(
        "The file %(filename)s is not a REFI-QDA project: it has no project.qde inside."
    ),
    "xml_too_large": gettext_noop(
        "The file %(filename)s was refused: its %(entry)s is %(size_mb).0f MB, more than the "
        "%(limit_mb).0f MB allowed."
    ),
    "dtd": gettext_noop(
        "The file %(filename)s was refused: its %(entry)s contains a document type declaration "
        "(DTD or entities), which REFI-QDA files never need and which can be used to attack a "
        "server."
    ),
    "malformed": gettext_noop(
        "The file %(filename)s could not be read: its %(entry)s is not well-formed XML "
        "(%(detail)s)."
    ),
    "namespace": gettext_noop(
        "The file %(filename)s is not a REFI-QDA %(kind)s: its %(entry)s starts with %(found)s "
        "instead of %(expected)s."
    ),
}


class ImportRefused(UserFacingError):
    """A REFI-QDA file that cannot be imported; the message names the file and the problem."""


def refuse(code: str, filename: str, **params) -> ImportRefused:
    """The refusal ``code`` for ``filename`` (see ``TEMPLATES``)."""
    return ImportRefused(code, TEMPLATES[code], filename=filename, **params)


@dataclass(frozen=True)
class Limits:
    """The bounds an archive must stay within (the defaults suit every real project)."""

    entries: int = MAX_ENTRIES
    total_bytes: int = MAX_TOTAL_BYTES
    entry_bytes: int = MAX_ENTRY_BYTES
    ratio: int = MAX_RATIO
    ratio_floor: int = RATIO_FLOOR


def _unsafe_name(name: str) -> bool:
    """Whether ``name`` is absolute, has a drive, a ``..`` part or a null character."""
    if "\x00" in name or name.startswith(("/", "\\")) or _DRIVE.match(name):
        return True
    return any(part == ".." for part in re.split(r"[\\/]", name))


def _is_link(info: zipfile.ZipInfo) -> bool:
    """Whether a Unix-made entry is a symbolic link (its mode sits in the high 16 bits)."""
    return stat.S_ISLNK(info.external_attr >> 16)


class QdpxArchive:
    """A checked archive: ``read(name)`` returns an entry's bytes, ``project_name`` the qde."""

    def __init__(self, path: Path | str, filename: str = "", limits: Limits = Limits()) -> None:
        """Open ``path`` and check its directory; raises ImportRefused for anything unsafe."""
        self.filename = filename or Path(path).name
        self.limits = limits
        path = Path(path)
        try:
            size = path.stat().st_size
        except OSError:
            raise refuse("damaged", self.filename) from None
        if size == 0:
            raise refuse("empty", self.filename)
        if not zipfile.is_zipfile(path):
            raise refuse("not_zip", self.filename)
        try:
            self._zip = zipfile.ZipFile(path)
            infos = self._zip.infolist()
        except _READ_ERRORS + (NotImplementedError,):
            raise refuse("damaged", self.filename) from None
        self._entries = self._check(infos)

    def _check(self, infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
        """The entries (files, not folders) by lower-case name, once every check has passed."""
        limits, name = self.limits, self.filename
        if len(infos) > limits.entries:
            raise refuse("too_many_entries", name, count=len(infos), limit=limits.entries)
        entries: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            entry = info.filename
            if _unsafe_name(entry):
                raise refuse("unsafe_path", name, entry=entry[:200])
            if _is_link(info):
                raise refuse("link", name, entry=entry[:200])
            if info.is_dir():
                continue
            if info.flag_bits & 0x1:
                raise refuse("encrypted", name, entry=entry[:200])
            if info.file_size > limits.entry_bytes:
                raise refuse(
                    "entry_too_large",
                    name,
                    entry=entry[:200],
                    size_mb=info.file_size / 1e6,
                    limit_mb=limits.entry_bytes / 1e6,
                )
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > limits.ratio_floor and ratio > limits.ratio:
                raise refuse("zip_bomb", name, entry=entry[:200])
            total += info.file_size
            key = entry.replace("\\", "/").casefold()
            if key in entries:
                raise refuse("duplicate", name, entry=entry[:200])
            entries[key] = info
        if total > limits.total_bytes:
            raise refuse("too_large", name, size_mb=total / 1e6, limit_mb=limits.total_bytes / 1e6)
        return entries

    def close(self) -> None:
        """Close the archive file."""
        self._zip.close()

    def __enter__(self) -> QdpxArchive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def names(self) -> list[str]:
        """The entries' names as written in the archive, in order."""
        return [info.filename for info in self._entries.values()]

    def find(self, name: str) -> str | None:
        """The archive's own spelling of ``name`` (matched case-insensitively), or None."""
        info = self._entries.get(name.replace("\\", "/").casefold())
        return info.filename if info else None

    def source(self, name: str) -> str | None:
        """The entry of a source file ``name`` in ``sources/`` (any case), or None."""
        if not name or _unsafe_name(name) or "/" in name or "\\" in name:
            return None
        return self.find(f"sources/{name}")

    def project_name(self) -> str:
        """The entry of the project XML (``project.qde`` in any case); refused when absent."""
        found = self.find("project.qde")
        if found is None:
            raise refuse("no_project", self.filename)
        return found

    def size(self, name: str) -> int:
        """The unpacked size of entry ``name`` as the directory declares it."""
        return self._entries[name.casefold()].file_size

    def read(self, name: str, limit: int | None = None) -> bytes:
        """The bytes of entry ``name``: at most its declared size and ``limit``."""
        info = self._entries[name.replace("\\", "/").casefold()]
        limit = min(limit or self.limits.entry_bytes, self.limits.entry_bytes)
        if info.file_size > limit:
            raise refuse(
                "entry_too_large",
                self.filename,
                entry=info.filename[:200],
                size_mb=info.file_size / 1e6,
                limit_mb=limit / 1e6,
            )
        try:
            with self._zip.open(info) as member:
                data = member.read(info.file_size + 1)
        except _READ_ERRORS + (NotImplementedError,):
            raise refuse("damaged", self.filename) from None
        if len(data) > info.file_size:
            raise refuse("size_mismatch", self.filename, entry=info.filename[:200])
        return data

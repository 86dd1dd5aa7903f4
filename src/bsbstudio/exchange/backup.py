"""Write and read BSB Studio's encrypted backups (``bsb backup``, ``bsb restore``).

A backup is one file: a header (format, key-derivation parameters, salt, a passphrase check)
and then a tar stream encrypted with AES-256-GCM in 1 MiB chunks. Each chunk's nonce holds its
index and whether it is the last one, and the header is authenticated with every chunk, so a
changed byte, reordered chunks or a cut-off file are all detected. The tar holds the database
snapshot (SQLite through its backup API, PostgreSQL through ``pg_dump``), the data folder's files
and, last, ``manifest.json`` with every file's SHA-256. Restoring unpacks into a staging folder
and checks everything before it touches the target, so a bad file restores nothing.

A commissioner backup holds only the approved report files of one evaluation (the frozen bytes
of each report's latest approval, re-checked like a download), no database and no raw material.
See docs/backup.md.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import secrets
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

FORMAT_VERSION = 1
MAGIC = b"BSBBACKUP\n"
CHUNK_SIZE = 1024 * 1024
TAG_SIZE = 16
KIND_FULL = "full"
KIND_COMMISSIONER = "commissioner"
MIN_PASSPHRASE_LENGTH = 12

KDF_SCRYPT = 1
KDF_ARGON2ID = 2
# Argon2id, RFC 9106's second recommended setting (64 MiB, 3 passes, 4 lanes); scrypt with
# 128 MiB where the OpenSSL under ``cryptography`` has no Argon2id. Tests lower these.
ARGON2_COST = (16, 3, 4)  # log2 of memory in KiB, iterations, lanes
SCRYPT_COST = (17, 8, 1)  # log2 N, r, p
# A header may ask for at most this much work, so a crafted file cannot exhaust the machine.
_MAX_LOG2_MEMORY = 22

# header: magic, format, kdf, three cost bytes, salt, nonce prefix, passphrase check
_HEADER = struct.Struct(">10sBBBBB16s7s32s")
_NONCE_PREFIX_SIZE = 7
_LENGTH = struct.Struct(">I")

_DB_SQLITE = "database/snapshot.sqlite3"
_DB_POSTGRES = "database/postgres.pgdump"
_MANIFEST = "manifest.json"
# In the data folder but not backed up: spool files, collected static files, the live database.
_SKIPPED_FOLDERS = {"tmp", "static"}
_SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal")
# Rows that ``migrate`` itself makes (content types, permissions, the organisation
# administrators' group): a database holding only these counts as empty.
_MIGRATE_MADE = {
    "contenttypes.contenttype",
    "auth.permission",
    "auth.group",
    "auth.group_permissions",
    "accounts.auditchainhead",
}

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the person at the terminal."""

    exit_code = 1


class WrongPassphrase(BackupError):
    """The passphrase does not open this file."""

    exit_code = 3


class Damaged(BackupError):
    """The file is not a backup, or was changed, cut off or extended."""

    exit_code = 4


class NotEmpty(BackupError):
    """The restore target already holds data."""

    exit_code = 5


def _quiet(_line: str) -> None:
    pass


# --- encryption -------------------------------------------------------------------------------


def _derive(passphrase: str, kdf: int, cost: tuple[int, int, int], salt: bytes) -> bytes:
    """64 bytes from the passphrase: the AES key, then the check value stored in the header."""
    secret = passphrase.encode("utf-8")
    if kdf == KDF_ARGON2ID:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

        log2_kib, iterations, lanes = cost
        return Argon2id(
            salt=salt, length=64, iterations=iterations, lanes=lanes, memory_cost=1 << log2_kib
        ).derive(secret)
    log2_n, r, p = cost
    return Scrypt(salt=salt, length=64, n=1 << log2_n, r=r, p=p).derive(secret)


def _new_kdf() -> tuple[int, tuple[int, int, int]]:
    """Argon2id where the installed library offers it, scrypt otherwise."""
    try:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

        Argon2id(salt=b"\0" * 16, length=32, iterations=1, lanes=1, memory_cost=8)
    except (ImportError, UnsupportedAlgorithm):
        return KDF_SCRYPT, SCRYPT_COST
    return KDF_ARGON2ID, ARGON2_COST


def _nonce(prefix: bytes, index: int, final: bool) -> bytes:
    return prefix + index.to_bytes(4, "big") + (b"\1" if final else b"\0")


class EncryptingWriter(io.RawIOBase):
    """A write-only stream that encrypts what it is given, chunk by chunk, into ``raw``."""

    def __init__(self, raw: BinaryIO, passphrase: str):
        kdf, cost = _new_kdf()
        salt = secrets.token_bytes(16)
        derived = _derive(passphrase, kdf, cost, salt)
        self._prefix = secrets.token_bytes(_NONCE_PREFIX_SIZE)
        self._header = _HEADER.pack(
            MAGIC, FORMAT_VERSION, kdf, *cost, salt, self._prefix, derived[32:]
        )
        self._aead = AESGCM(derived[:32])
        self._raw = raw
        self._buffer = bytearray()
        self._index = 0
        raw.write(self._header)

    def writable(self) -> bool:
        """Always: this stream is for writing."""
        return True

    def write(self, data) -> int:
        """Take plaintext; whole chunks are encrypted and written as they fill."""
        self._buffer += data
        while len(self._buffer) > CHUNK_SIZE:
            self._emit(bytes(self._buffer[:CHUNK_SIZE]), final=False)
            del self._buffer[:CHUNK_SIZE]
        return len(data)

    def _emit(self, plain: bytes, *, final: bool) -> None:
        if self._index >= 2**32 - 1:
            raise BackupError("The backup is too large for this format (over 4 PiB).")
        sealed = self._aead.encrypt(_nonce(self._prefix, self._index, final), plain, self._header)
        self._raw.write(_LENGTH.pack(len(sealed)) + sealed)
        self._index += 1

    def finish(self) -> None:
        """Write the last chunk (marked final, possibly empty); nothing may follow."""
        self._emit(bytes(self._buffer), final=True)
        self._buffer.clear()


class DecryptingReader(io.RawIOBase):
    """A read-only stream of the plaintext; raises WrongPassphrase or Damaged on any doubt."""

    def __init__(self, raw: BinaryIO, passphrase: str):
        header = raw.read(_HEADER.size)
        if len(header) < _HEADER.size or not header.startswith(MAGIC):
            raise Damaged("This is not a BSB Studio backup file (or its beginning is damaged).")
        _magic, version, kdf, c1, c2, c3, salt, prefix, check = _HEADER.unpack(header)
        if version > FORMAT_VERSION:
            raise BackupError(
                f"This backup has format {version}; this version of BSB Studio reads up to "
                f"{FORMAT_VERSION}. Restore it with a newer version."
            )
        if kdf not in (KDF_SCRYPT, KDF_ARGON2ID) or c1 > _MAX_LOG2_MEMORY or c2 > 64 or c3 > 16:
            raise Damaged("The backup's header is damaged (unknown key-derivation settings).")
        try:
            derived = _derive(passphrase, kdf, (c1, c2, c3), salt)
        except (ValueError, UnsupportedAlgorithm) as error:
            raise Damaged(f"The backup's header cannot be used: {error}") from error
        if not hmac.compare_digest(derived[32:], check):
            raise WrongPassphrase("Wrong passphrase (or the file's header is damaged).")
        self._aead = AESGCM(derived[:32])
        self._header = header
        self._prefix = prefix
        self._raw = raw
        self._index = 0
        self._plain = b""
        self._done = False

    def readable(self) -> bool:
        """Always: this stream is for reading."""
        return True

    def _next_chunk(self) -> None:
        length_bytes = self._raw.read(_LENGTH.size)
        if len(length_bytes) < _LENGTH.size:
            raise Damaged("The backup file ends too early: it was cut off or is incomplete.")
        (length,) = _LENGTH.unpack(length_bytes)
        if not TAG_SIZE <= length <= CHUNK_SIZE + TAG_SIZE:
            raise Damaged("The backup file is damaged or was changed (a chunk has a bad length).")
        sealed = self._raw.read(length)
        if len(sealed) < length:
            raise Damaged("The backup file ends too early: it was cut off or is incomplete.")
        for final in (False, True):
            try:
                nonce = _nonce(self._prefix, self._index, final)
                self._plain = self._aead.decrypt(nonce, sealed, self._header)
            except InvalidTag:
                continue
            self._index += 1
            if final:
                self._done = True
                if self._raw.read(1):
                    raise Damaged("The backup file has data after its end: it was changed.")
            return
        raise Damaged("The backup file is damaged or was changed (a chunk failed its check).")

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes of checked plaintext (all of it when ``size`` < 0)."""
        if size is None or size < 0:
            parts = []
            while chunk := self.read(CHUNK_SIZE):
                parts.append(chunk)
            return b"".join(parts)
        while not self._plain and not self._done:
            self._next_chunk()
        taken, self._plain = self._plain[:size], self._plain[size:]
        return taken

    def readinto(self, buffer) -> int:
        """Read into ``buffer``; return how many bytes."""
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def drain(self) -> None:
        """Read (and so authenticate) everything up to the final chunk."""
        while not self._done:
            self._plain = b""
            self._next_chunk()
        self._plain = b""


# --- helpers ----------------------------------------------------------------------------------


class _HashingReader:
    """Reads a file for tarfile while hashing exactly what was read."""

    def __init__(self, handle: BinaryIO):
        self._handle = handle
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self.sha256.update(data)
        return data


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> dict:
    """Add one file to the tar stream; return its manifest entry (size and SHA-256)."""
    with open(path, "rb") as handle:
        info = tarfile.TarInfo(name)
        status = os.fstat(handle.fileno())
        info.size, info.mtime, info.mode = status.st_size, int(status.st_mtime), 0o600
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return {"path": name, "size": info.size, "sha256": reader.sha256.hexdigest()}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> dict:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
    tar.addfile(info, io.BytesIO(data))
    return {"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _add_stored_recordings(tar: tarfile.TarFile, taken: set[str], progress: Progress) -> list:
    """Recordings kept in object storage, read through the storage API into the archive.

    They go in as ``files/recordings/<name>``, where a local recording would be, so a backup
    restores into either kind of storage. Names in ``taken`` (already added) are skipped.
    """
    from bsbstudio.fieldwork.recordings import storage

    entries = []
    for name in storage.backup_names():
        archive_name = "files/recordings/" + name
        if archive_name in taken:
            continue
        try:
            handle = storage.open_for_reading(name)
        except FileNotFoundError:  # removed meanwhile (retention): it is gone anyway
            continue
        with handle:
            info = tarfile.TarInfo(archive_name)
            info.size, info.mtime, info.mode = storage.size_of(handle), int(time.time()), 0o600
            reader = _HashingReader(handle)
            tar.addfile(info, reader)
        entries.append(
            {"path": archive_name, "size": info.size, "sha256": reader.sha256.hexdigest()}
        )
    if entries:
        progress(f"recordings from object storage: {len(entries)}")
    return entries


def _app_version() -> str:
    from bsbstudio import __version__

    return __version__


def _staging_folder() -> Path:
    """A private folder in the data folder's spool (same disk, so files move by renaming)."""
    from django.conf import settings

    spool = Path(settings.UPLOAD_TEMP_DIR)
    spool.mkdir(mode=0o700, parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="backup-", dir=spool))


def _sqlite_name() -> str | None:
    from django.db import connection

    if connection.vendor != "sqlite":
        return None
    return str(connection.settings_dict["NAME"])


def _postgres_env() -> dict[str, str]:
    """pg_dump/pg_restore's connection settings, from Django's, through the environment."""
    from django.db import connection

    params = connection.settings_dict
    env = dict(os.environ)
    for key, name in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if params.get(name):
            env[key] = str(params[name])
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    env["PGDATABASE"] = str(params["NAME"])
    return env


def _run_pg(tool: str, arguments: list[str]) -> None:
    if shutil.which(tool) is None:
        raise BackupError(
            f"{tool} was not found. Install PostgreSQL's client programs (Debian: "
            "postgresql-client) in the same major version as the server."
        )
    result = subprocess.run(
        [tool, *arguments], env=_postgres_env(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip()[-2000:]}")


def _applied_migrations_sqlite(path: Path) -> dict[str, list[str]]:
    snapshot = sqlite3.connect(path)
    try:
        rows = snapshot.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        applied: dict[str, list[str]] = {}
        for app, name in rows:
            applied.setdefault(app, []).append(name)
    finally:
        snapshot.close()
    return applied


def _applied_migrations() -> dict[str, list[str]]:
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def data_files(exclude: Path | None = None) -> list[tuple[str, Path]]:
    """The data folder's files to back up, as (name in the archive, path), sorted.

    Left out: the live SQLite database (it travels as a snapshot), the upload spool, collected
    static files, half-received recordings (``.part``) and ``exclude`` (the backup being written).
    """
    from django.conf import settings

    root = Path(settings.DATA_DIR)
    database = _sqlite_name()
    skipped = set()
    if database and not database.startswith("file:") and database != ":memory:":
        skipped = {Path(database + suffix).resolve() for suffix in _SQLITE_SIDE_FILES}
    if exclude is not None:
        skipped.add(exclude.resolve())
    found = []
    for folder, dirs, files in os.walk(root):
        relative_folder = Path(folder).relative_to(root)
        if relative_folder == Path("."):
            dirs[:] = [d for d in dirs if d not in _SKIPPED_FOLDERS]
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if name.endswith(".part") or path.resolve() in skipped or not path.is_file():
                continue
            if path.is_symlink():
                continue
            found.append(("files/" + (relative_folder / name).as_posix(), path))
    return found


# --- writing ----------------------------------------------------------------------------------


def _snapshot_database(staging: Path, progress: Progress) -> tuple[str, Path, dict]:
    """A consistent copy of the live database in ``staging``: (archive name, path, migrations)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        if connection.in_atomic_block:
            # SQLite's backup would wait forever for this connection's own open transaction.
            raise BackupError("A backup cannot be taken inside a database transaction.")
        target = staging / "snapshot.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            # The backup API copies a consistent state even while the app keeps writing.
            connection.connection.backup(copy)
        copy.close()
        progress(f"database snapshot (SQLite): {target.stat().st_size / 1e6:.1f} MB")
        return _DB_SQLITE, target, _applied_migrations_sqlite(target)
    if connection.vendor == "postgresql":
        target = staging / "postgres.pgdump"
        migrations = _applied_migrations()
        _run_pg("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "-f", str(target)])
        progress(f"database snapshot (pg_dump): {target.stat().st_size / 1e6:.1f} MB")
        return _DB_POSTGRES, target, migrations
    raise BackupError(f"Backups of a {connection.vendor} database are not supported.")


def write_backup(
    out: BinaryIO, passphrase: str, *, exclude: Path | None = None, progress: Progress = _quiet
) -> dict:
    """Write a full, encrypted backup (database and data folder) to ``out``; return its manifest."""
    from django.db import connection

    staging = _staging_folder()
    try:
        db_name, db_path, migrations = _snapshot_database(staging, progress)
        files = data_files(exclude)
        writer = EncryptingWriter(out, passphrase)
        entries = []
        with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
            database_entry = _add_file(tar, db_name, db_path)
            db_path.unlink()
            total, last_report = 0, time.monotonic()
            for index, (name, path) in enumerate(files, 1):
                try:
                    entries.append(_add_file(tar, name, path))
                except FileNotFoundError:  # removed meanwhile (retention): it is gone anyway
                    continue
                total += entries[-1]["size"]
                if time.monotonic() - last_report > 2 or index == len(files):
                    progress(f"files: {index}/{len(files)}, {total / 1e6:.1f} MB")
                    last_report = time.monotonic()
            entries += _add_stored_recordings(tar, {e["path"] for e in entries}, progress)
            manifest = {
                "format": FORMAT_VERSION,
                "kind": KIND_FULL,
                "app_version": _app_version(),
                "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "database": {"vendor": connection.vendor, **database_entry},
                "migrations": migrations,
                "files": entries,
            }
            _add_bytes(tar, _MANIFEST, json.dumps(manifest, indent=1).encode())
        writer.finish()
        return manifest
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _report_filename(report, fmt: str, version: int) -> str:
    from django.utils.text import slugify

    place = report.site.name if report.site else report.title
    return f"{report.kind}-{slugify(place) or report.pk}-{report.pk}-v{version}.{fmt}"


def approved_outputs(evaluation) -> tuple[list[tuple[str, bytes]], list[dict]]:
    """The files a commissioner may hold, and the reports left out with why.

    Each report's latest approval, checked as a download is: the frozen bytes match their hash,
    every quoted text is still approved, and the leak guard finds nothing unreviewed.
    """
    from bsbstudio.deid import leak_guard
    from bsbstudio.reports.actions import latest_approval
    from bsbstudio.transcripts.models import DeidentifiedText

    files, left_out = [], []
    for report in evaluation.reports.select_related("site").order_by("pk"):
        approval = latest_approval(report, with_content=True)
        if approval is None:
            continue
        quoted = set(approval.quoted_texts)
        approved = DeidentifiedText.objects.filter(pk__in=quoted, approved_at__isnull=False)
        if approved.count() != len(quoted):
            left_out.append({"report": report.pk, "reason": "a quoted text is no longer approved"})
            continue
        if leak_guard.unreviewed(evaluation, approval.scanned_texts, report.reviewed_identifiers):
            left_out.append({"report": report.pk, "reason": "the leak guard has new findings"})
            continue
        for fmt, content, expected in (
            ("docx", bytes(approval.content), approval.sha256),
            ("pdf", bytes(approval.pdf_content), approval.pdf_sha256),
        ):
            if not expected:
                continue
            if hashlib.sha256(content).hexdigest() != expected:
                left_out.append({"report": report.pk, "reason": f"the approved {fmt} is damaged"})
                continue
            files.append(("reports/" + _report_filename(report, fmt, approval.version), content))
    return files, left_out


def write_commissioner_backup(
    out: BinaryIO, passphrase: str, evaluation, *, progress: Progress = _quiet
) -> dict:
    """Write an encrypted archive of ``evaluation``'s approved outputs only; return its manifest."""
    files, left_out = approved_outputs(evaluation)
    writer = EncryptingWriter(out, passphrase)
    with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
        entries = [_add_bytes(tar, "files/" + name, content) for name, content in files]
        manifest = {
            "format": FORMAT_VERSION,
            "kind": KIND_COMMISSIONER,
            "app_version": _app_version(),
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "evaluation": evaluation.slug,
            "files": entries,
            "left_out": left_out,
        }
        _add_bytes(tar, _MANIFEST, json.dumps(manifest, indent=1).encode())
    writer.finish()
    progress(f"approved files: {len(entries)}, left out: {len(left_out)}")
    return manifest


# --- reading ----------------------------------------------------------------------------------


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not path.is_absolute()
        and ".." not in path.parts
        and bool(path.parts)
        and (name == _MANIFEST or path.parts[0] in ("files", "database"))
    )


def unpack(source: BinaryIO, passphrase: str, staging: Path, progress: Progress = _quiet) -> dict:
    """Decrypt and unpack a backup into ``staging``; check everything; return the manifest.

    Raises WrongPassphrase or Damaged (and leaves only ``staging`` behind, for the caller to
    remove) unless every chunk authenticates, the stream ends with its final chunk, and every
    file matches the manifest's size and SHA-256 with nothing extra.
    """
    reader = DecryptingReader(source, passphrase)
    found: dict[str, tuple[int, str]] = {}
    manifest_bytes = None
    try:
        with tarfile.open(fileobj=reader, mode="r|") as tar:
            for member in tar:
                if not member.isfile() or not _safe_member_name(member.name):
                    raise Damaged(f"The backup holds an unexpected entry: {member.name!r}.")
                if member.name in found or (member.name == _MANIFEST and manifest_bytes):
                    raise Damaged(f"The backup holds {member.name!r} twice.")
                handle = tar.extractfile(member)
                if member.name == _MANIFEST:
                    manifest_bytes = handle.read()
                    continue
                target = staging / member.name
                target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with open(target, "xb") as out:
                    while block := handle.read(CHUNK_SIZE):
                        digest.update(block)
                        out.write(block)
                found[member.name] = (member.size, digest.hexdigest())
                if len(found) % 500 == 0:
                    progress(f"unpacked {len(found)} files")
        reader.drain()
    except tarfile.TarError as error:
        raise Damaged(f"The backup's contents cannot be read: {error}") from error
    if manifest_bytes is None:
        raise Damaged("The backup has no manifest: it is incomplete.")
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as error:
        raise Damaged("The backup's manifest cannot be read.") from error
    expected = {entry["path"]: (entry["size"], entry["sha256"]) for entry in manifest["files"]}
    if manifest.get("database"):
        database = manifest["database"]
        expected[database["path"]] = (database["size"], database["sha256"])
    if expected != found:
        raise Damaged("The backup's files do not match its manifest.")
    return manifest


def _database_rows() -> list[str]:
    """Tables of the target database that hold rows other than what ``migrate`` makes."""
    from django.apps import apps
    from django.db import connection

    existing = set(connection.introspection.table_names())
    busy = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if model._meta.label_lower in _MIGRATE_MADE or table not in existing:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone():
                busy.append(table)
    return busy


def _data_folder_files() -> list[str]:
    from bsbstudio.fieldwork.recordings import storage

    # The secret key is written by the settings at start, before a restore can run.
    return [
        name.removeprefix("files/") for name, _path in data_files() if name != "files/secret_key"
    ] + ["recordings/" + name for name in storage.backup_names()]


def check_empty_target() -> None:
    """Raise NotEmpty unless the database and the data folder hold nothing yet."""
    tables = _database_rows()
    if tables:
        raise NotEmpty(
            "The database already holds data (for example in "
            f"{', '.join(sorted(tables)[:3])}). Restore only into an empty database."
        )
    files = _data_folder_files()
    if files:
        raise NotEmpty(
            f"The data folder already holds files (for example {files[0]}). Restore only into "
            "an empty data folder."
        )


def _install_database(manifest: dict, staging: Path) -> None:
    from django.db import connection

    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"This backup holds a {vendor} database; the target is {connection.vendor}. Restore "
            f"it with a {vendor} database configured (DATABASE_URL)."
        )
    snapshot = staging / manifest["database"]["path"]
    if vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(snapshot) as source:
            # Copied page by page by SQLite itself: the live database (and its WAL) stays whole.
            source.backup(connection.connection)
        source.close()
        return
    connection.close()
    _run_pg(
        "pg_restore",
        [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "-d",
            str(connection.settings_dict["NAME"]),
            str(snapshot),
        ],
    )


def restore_backup(source: BinaryIO, passphrase: str, *, progress: Progress = _quiet) -> dict:
    """Restore a full backup into the configured (empty) database and data folder.

    Everything is unpacked and checked first; only then are the database and files put in
    place. The caller runs ``migrate`` afterwards, for a backup made by an older version.
    """
    from django.conf import settings

    check_empty_target()
    staging = _staging_folder()
    try:
        manifest = unpack(source, passphrase, staging, progress)
        if manifest.get("kind") != KIND_FULL:
            raise BackupError(
                "This is a commissioner's archive of approved files, not a full backup: open it "
                "with `bsb restore FILE --extract-to FOLDER`."
            )
        _install_database(manifest, staging)
        progress("database restored")
        from bsbstudio.fieldwork.recordings import storage

        root = Path(settings.DATA_DIR)
        for entry in manifest["files"]:
            relative = entry["path"].removeprefix("files/")
            recording = relative.removeprefix("recordings/")
            if relative.startswith("recordings/") and storage.is_stored_name(recording):
                if not storage.is_local():  # back into the object store, through its API
                    storage.restore_file(recording, staging / entry["path"])
                    continue
            target = root / relative
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.replace(staging / entry["path"], target)
        progress(f"files restored: {len(manifest['files'])}")
        return manifest
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def extract_archive(source: BinaryIO, passphrase: str, folder: Path) -> dict:
    """Unpack a commissioner's archive (approved files only) into ``folder``, new or empty."""
    if folder.exists() and any(folder.iterdir()):
        raise NotEmpty(f"The folder {folder} is not empty.")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=folder))
    try:
        manifest = unpack(source, passphrase, staging)
        if manifest.get("kind") != KIND_COMMISSIONER:
            raise BackupError("This is a full backup; restore it with `bsb restore FILE`.")
        for entry in manifest["files"]:
            target = folder / entry["path"].removeprefix("files/")
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.replace(staging / entry["path"], target)
        return manifest
    finally:
        shutil.rmtree(staging, ignore_errors=True)

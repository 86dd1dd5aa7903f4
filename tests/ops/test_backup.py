"""Encrypted backup and restore: a round trip gives every table's rows and every file back, and a
wrong passphrase, a changed byte, a cut-off file or a non-empty target restore nothing."""

from __future__ import annotations

import datetime
import hashlib
import io
import os
import shutil
import tarfile

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from bsbstudio.cli.main import main
from bsbstudio.exchange import backup

PASSPHRASE = "korrekt hest batteri stift"
RAW_MARKER = "Kari Nordmann fra Solsikkeveien 12 fortalte"
RECORDING_NAME = "0123456789abcdef0123456789abcdef.mp3"


@pytest.fixture(autouse=True)
def _postgres_client_programs():
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump/pg_restore not installed (Debian: postgresql-client)")


@pytest.fixture(autouse=True)
def _fast_key_derivation(monkeypatch):
    """Cheap KDF settings for tests; the reader takes whatever the header says."""
    monkeypatch.setattr(backup, "ARGON2_COST", (10, 1, 1))
    monkeypatch.setattr(backup, "SCRYPT_COST", (10, 8, 1))


@pytest.fixture
def data_dir(tmp_path, settings):
    """A data folder of its own with a recording (over two chunks), an import file and spool."""
    root = tmp_path / "data"
    for folder in ("recordings", "imports", "tmp", "static"):
        (root / folder).mkdir(parents=True)
    settings.DATA_DIR = root
    settings.UPLOAD_TEMP_DIR = root / "tmp"
    settings.RECORDINGS_ROOT = root / "recordings"
    settings.TRANSCRIPT_IMPORTS_ROOT = root / "imports"
    (root / "recordings" / RECORDING_NAME).write_bytes(os.urandom(2 * backup.CHUNK_SIZE + 12345))
    (root / "recordings" / ("f" * 32 + ".wav.part")).write_bytes(b"half an upload")
    (root / "imports" / "intervju.txt").write_text(RAW_MARKER, encoding="utf-8")
    (root / "tmp" / "spool").write_bytes(b"spooled upload")
    (root / "secret_key").write_text("not-so-secret")
    return root


def _material(evaluation):
    """A transcript with raw text and a recording row whose file is in the data folder."""
    from bsbstudio.fieldwork.models import Recording
    from bsbstudio.transcripts.models import Transcript

    interview = evaluation.interviews.get(code="FG1")
    Transcript.objects.create(interview=interview, raw_text=f"D1: {RAW_MARKER} om ventetiden.")
    Recording.objects.create(
        interview=interview,
        stored_name=RECORDING_NAME,
        original_name="fokusgruppe kari.mp3",
        content_type="audio/mpeg",
        size_bytes=1,
        sha256="0" * 64,
        delete_by=datetime.date(2026, 5, 1),
    )


def _rows() -> dict[str, list[tuple]]:
    """Every table's rows (all columns), ordered by primary key."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        columns = [field.attname for field in model._meta.concrete_fields]
        rows = model._base_manager.order_by("pk").values_list(*columns)
        tables[model._meta.db_table] = [
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows
        ]
    return tables


def _hashes(root) -> dict[str, str]:
    """Every file's SHA-256 under the data folder, spool and static files aside."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        skipped = relative.split("/")[0] in ("tmp", "static") or relative.endswith(".part")
        if path.is_file() and not skipped:
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _empty_target(root) -> None:
    """Empty the database and the data folder, as a fresh server would have them."""
    call_command("flush", interactive=False, verbosity=0)
    for folder in ("recordings", "imports"):
        shutil.rmtree(root / folder)
    (root / "secret_key").unlink()


def _make_backup() -> bytes:
    out = io.BytesIO()
    backup.write_backup(out, PASSPHRASE)
    return out.getvalue()


def _nothing_restored(root) -> None:
    from bsbstudio.evaluations.models import Evaluation

    assert not Evaluation.objects.exists()
    assert not (root / "recordings").exists()
    assert list((root / "tmp").iterdir()) == [root / "tmp" / "spool"]  # staging removed


@pytest.mark.django_db(transaction=True)
def test_round_trip_gives_identical_rows_and_files(evaluation, data_dir):
    _material(evaluation)
    rows_before, files_before = _rows(), _hashes(data_dir)
    assert rows_before["transcripts_transcript"] and rows_before["fieldwork_recording"]
    assert f"recordings/{RECORDING_NAME}" in files_before
    archive = _make_backup()
    assert RAW_MARKER.encode() not in archive  # encrypted
    _empty_target(data_dir)
    assert _rows() != rows_before

    manifest = backup.restore_backup(io.BytesIO(archive), PASSPHRASE)

    assert _rows() == rows_before
    assert _hashes(data_dir) == files_before
    assert manifest["database"]["vendor"] == connection.vendor
    assert "0001_initial" in manifest["migrations"]["transcripts"]
    names = {entry["path"] for entry in manifest["files"]}
    assert "files/recordings/" + "f" * 32 + ".wav.part" not in names  # half uploads stay out
    assert "files/tmp/spool" not in names


@pytest.mark.django_db(transaction=True)
def test_wrong_passphrase_restores_nothing(evaluation, data_dir):
    archive = _make_backup()
    _empty_target(data_dir)
    with pytest.raises(backup.WrongPassphrase, match="Wrong passphrase"):
        backup.restore_backup(io.BytesIO(archive), "feil passord her")
    _nothing_restored(data_dir)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("where", ["first chunk", "middle", "last byte"])
def test_a_changed_byte_restores_nothing(evaluation, data_dir, where):
    archive = bytearray(_make_backup())
    offset = {
        "first chunk": backup._HEADER.size + 100,
        "middle": len(archive) // 2,
        "last byte": len(archive) - 1,
    }[where]
    archive[offset] ^= 0x01
    _empty_target(data_dir)
    with pytest.raises(backup.Damaged, match="damaged or was changed"):
        backup.restore_backup(io.BytesIO(bytes(archive)), PASSPHRASE)
    _nothing_restored(data_dir)


@pytest.mark.django_db(transaction=True)
def test_a_cut_off_file_restores_nothing(evaluation, data_dir):
    archive = _make_backup()
    # Cut exactly after the second whole chunk: every chunk left is genuine, the end is missing.
    whole_chunk = backup._LENGTH.size + backup.CHUNK_SIZE + backup.TAG_SIZE
    cut = archive[: backup._HEADER.size + 2 * whole_chunk]
    _empty_target(data_dir)
    for truncated in (cut, archive[:-7]):
        with pytest.raises(backup.Damaged, match="ends too early"):
            backup.restore_backup(io.BytesIO(truncated), PASSPHRASE)
    with pytest.raises(backup.Damaged, match="after its end"):
        backup.restore_backup(io.BytesIO(archive + b"more"), PASSPHRASE)
    _nothing_restored(data_dir)


def test_not_a_backup_is_refused():
    with pytest.raises(backup.Damaged, match="not a BSB Studio backup"):
        backup.DecryptingReader(io.BytesIO(b"PK\x03\x04 a zip file"), PASSPHRASE)


@pytest.mark.django_db(transaction=True)
def test_non_empty_database_is_refused(evaluation, data_dir):
    archive = _make_backup()
    with pytest.raises(backup.NotEmpty, match="database already holds data"):
        backup.restore_backup(io.BytesIO(archive), PASSPHRASE)
    assert evaluation.interviews.count() == 1


@pytest.mark.django_db(transaction=True)
def test_non_empty_data_folder_is_refused(evaluation, data_dir):
    archive = _make_backup()
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(backup.NotEmpty, match="data folder already holds files"):
        backup.restore_backup(io.BytesIO(archive), PASSPHRASE)
    assert (data_dir / "imports" / "intervju.txt").read_text(encoding="utf-8") == RAW_MARKER


@pytest.mark.django_db(transaction=True)
def test_cli_takes_the_passphrase_from_the_environment(evaluation, data_dir, tmp_path, monkeypatch):
    out = tmp_path / "backup.bsb"
    monkeypatch.setenv("BSB_BACKUP_PASSPHRASE", PASSPHRASE)
    assert main(["backup", "--out", str(out)]) == 0
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    with open(out, "rb") as source:
        manifest = backup.unpack(source, PASSPHRASE, tmp_path / "check")
    assert manifest["kind"] == "full"
    assert (tmp_path / "check" / "files" / "imports" / "intervju.txt").read_text() == RAW_MARKER
    assert main(["backup", "--out", str(out)]) == 1  # never overwrites
    assert main(["restore", str(out)]) == 5  # the test database holds the evaluation
    # A full backup is not unpacked as a commissioner's archive; a wrong passphrase is 3.
    assert main(["restore", str(out), "--extract-to", str(tmp_path / "x")]) == 1

    monkeypatch.setenv("BSB_BACKUP_PASSPHRASE", "kort")
    assert main(["backup", "--out", str(tmp_path / "short.bsb")]) == 2
    monkeypatch.setenv("BSB_BACKUP_PASSPHRASE", "et helt annet passord")
    assert main(["restore", str(out), "--extract-to", str(tmp_path / "y")]) == 3
    monkeypatch.delenv("BSB_BACKUP_PASSPHRASE")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: nobody to ask
    assert main(["backup", "--out", str(tmp_path / "none.bsb")]) == 2
    assert not (tmp_path / "none.bsb").exists()


def _approved_report(evaluation, content: bytes, *, damaged: bool = False):
    from bsbstudio.reports.models import Report, ReportApproval

    report = Report.objects.create(
        evaluation=evaluation,
        site=evaluation.sites.get(name="Nord"),
        kind=Report.Kind.PROCESS,
        title="Prosessrapport Nord",
        state=Report.State.APPROVED,
    )
    ReportApproval.objects.create(
        report=report,
        version=1,
        approved_by_name="Test process_leader",
        content=content,
        sha256=hashlib.sha256(b"other" if damaged else content).hexdigest(),
        pdf_content=b"%PDF-1.7 approved",
        pdf_sha256=hashlib.sha256(b"%PDF-1.7 approved").hexdigest(),
    )
    return report


def test_commissioner_archive_holds_only_approved_outputs(evaluation, data_dir, tmp_path):
    from bsbstudio.reports.models import Report

    _material(evaluation)
    _approved_report(evaluation, b"PK approved docx bytes")
    Report.objects.create(evaluation=evaluation, kind=Report.Kind.FINAL, title="Utkast")
    out = io.BytesIO()
    manifest = backup.write_commissioner_backup(out, PASSPHRASE, evaluation)

    # Everything inside, decrypted: two report files and the manifest, nothing raw.
    plain = backup.DecryptingReader(io.BytesIO(out.getvalue()), PASSPHRASE).read()
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        names = sorted(tar.getnames())
    assert len(names) == 3 and names[2] == "manifest.json"
    assert [n.rsplit("-v", 1)[0].rsplit("-", 1)[0] for n in names[:2]] == [
        "files/reports/process-nord"
    ] * 2
    assert [n.rsplit(".", 1)[1] for n in names[:2]] == ["docx", "pdf"]
    assert RAW_MARKER.encode() not in plain
    assert (data_dir / "recordings" / RECORDING_NAME).read_bytes()[:4096] not in plain
    assert b"SQLite format 3" not in plain and "database" not in manifest

    folder = tmp_path / "til-oppdragsgiver"
    backup.extract_archive(io.BytesIO(out.getvalue()), PASSPHRASE, folder)
    docx = next((folder / "reports").glob("*.docx"))
    assert docx.read_bytes() == b"PK approved docx bytes"


def test_commissioner_archive_leaves_out_a_damaged_approval(evaluation, data_dir):
    _approved_report(evaluation, b"PK changed after approval", damaged=True)
    out = io.BytesIO()
    manifest = backup.write_commissioner_backup(out, PASSPHRASE, evaluation)
    assert [entry["path"].rsplit(".", 1)[1] for entry in manifest["files"]] == ["pdf"]
    assert manifest["left_out"][0]["reason"] == "the approved docx is damaged"


def test_cli_commissioner_backup_unknown_evaluation(db, data_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("BSB_BACKUP_PASSPHRASE", PASSPHRASE)
    assert main(["backup", "--commissioner", "nope", "--out", str(tmp_path / "c.bsb")]) == 6

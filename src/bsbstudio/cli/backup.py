"""`bsb backup` and `bsb restore`: one encrypted file holding the database and the data folder.

The passphrase comes from ``BSB_BACKUP_PASSPHRASE`` or is asked for on the terminal (twice when
writing). Progress goes to stderr. Exit status: 0 done, 1 failed (I/O, pg_dump missing, the file
exists), 2 bad usage or no passphrase, 3 wrong passphrase, 4 the file is damaged or was changed,
5 the target database or data folder is not empty, 6 no such evaluation. See docs/backup.md.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from pathlib import Path

from .server import migrate, setup_django

EXIT_USAGE = 2
EXIT_NOT_FOUND = 6
PASSPHRASE_VARIABLE = "BSB_BACKUP_PASSPHRASE"


def register(subparsers) -> None:
    """Add `bsb backup` and `bsb restore`."""
    backup = subparsers.add_parser(
        "backup",
        help="write an encrypted backup of the database and data folder",
        description="Write one encrypted file with a consistent snapshot of the database and "
        "every file in the data folder (recordings, imports, the secret key), and the "
        "recordings in object storage when BSB_S3_BUCKET is set. With "
        "--commissioner, only the approved report files of one evaluation.",
    )
    backup.add_argument("--out", required=True, type=Path, help="the file to write (new)")
    backup.add_argument(
        "--commissioner",
        metavar="SLUG",
        help="only the approved outputs of this evaluation, for its commissioner",
    )
    backup.set_defaults(func=backup_command)
    restore = subparsers.add_parser(
        "restore",
        help="restore an encrypted backup into an empty database and data folder",
        description="Check the whole backup first, then restore it into the configured database "
        "and data folder, which must be empty, and bring the database up to date.",
    )
    restore.add_argument("file", type=Path, help="the backup file")
    restore.add_argument(
        "--extract-to",
        type=Path,
        metavar="FOLDER",
        help="unpack a commissioner's archive into this (new or empty) folder",
    )
    restore.set_defaults(func=restore_command)


def _progress(line: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {line}", file=sys.stderr, flush=True)


def _passphrase(confirm: bool) -> str | None:
    """The passphrase from the environment or the terminal; None when there is none."""
    from bsbstudio.exchange.backup import MIN_PASSPHRASE_LENGTH

    value = os.environ.get(PASSPHRASE_VARIABLE)
    if value is None:
        if not sys.stdin.isatty():
            print(
                f"No passphrase: set {PASSPHRASE_VARIABLE} or run on a terminal.", file=sys.stderr
            )
            return None
        value = getpass.getpass("Passphrase: ")
        if confirm and getpass.getpass("The same passphrase again: ") != value:
            print("The two passphrases differ.", file=sys.stderr)
            return None
    if confirm and len(value) < MIN_PASSPHRASE_LENGTH:
        print(
            f"The passphrase must have at least {MIN_PASSPHRASE_LENGTH} characters.",
            file=sys.stderr,
        )
        return None
    if not value:
        print("The passphrase is empty.", file=sys.stderr)
        return None
    return value


def backup_command(args: argparse.Namespace) -> int:
    """Write the backup to ``--out`` (a new file, 0600; removed again if anything fails)."""
    if args.out.exists():
        print(f"{args.out} exists already; choose a new file name.", file=sys.stderr)
        return 1
    passphrase = _passphrase(confirm=True)
    if passphrase is None:
        return EXIT_USAGE
    setup_django()
    migrate()
    from bsbstudio.accounts.audit import record
    from bsbstudio.evaluations.models import Evaluation
    from bsbstudio.exchange import backup

    evaluation = None
    if args.commissioner:
        evaluation = Evaluation.objects.filter(slug=args.commissioner).first()
        if evaluation is None:
            print(f"No evaluation called {args.commissioner!r}.", file=sys.stderr)
            return EXIT_NOT_FOUND
    partial = args.out.with_name(args.out.name + ".part")
    started = time.monotonic()
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            if evaluation is not None:
                manifest = backup.write_commissioner_backup(
                    out, passphrase, evaluation, progress=_progress
                )
            else:
                manifest = backup.write_backup(out, passphrase, exclude=partial, progress=_progress)
        os.replace(partial, args.out)
    except (backup.BackupError, OSError) as error:
        partial.unlink(missing_ok=True)
        print(f"Backup failed: {error}", file=sys.stderr)
        return getattr(error, "exit_code", 1)
    except BaseException:  # Ctrl-C: no half-written file is left behind
        partial.unlink(missing_ok=True)
        raise
    size = args.out.stat().st_size
    record(
        None,
        "backup.commissioner" if evaluation else "backup.write",
        evaluation,
        evaluation,
        via="command",
        files=len(manifest["files"]),
        bytes=size,
    )
    for entry in manifest.get("left_out", []):
        print(f"left out: report {entry['report']}: {entry['reason']}", file=sys.stderr)
    _progress(
        f"wrote {args.out} ({size / 1e6:.1f} MB, {len(manifest['files'])} files) in "
        f"{time.monotonic() - started:.1f} s"
    )
    return 0


def restore_command(args: argparse.Namespace) -> int:
    """Restore a full backup (or unpack a commissioner's archive with ``--extract-to``)."""
    if not args.file.is_file():
        print(f"No such file: {args.file}", file=sys.stderr)
        return 1
    passphrase = _passphrase(confirm=False)
    if passphrase is None:
        return EXIT_USAGE
    setup_django()
    from bsbstudio.exchange import backup

    started = time.monotonic()
    try:
        with open(args.file, "rb") as source:
            if args.extract_to:
                manifest = backup.extract_archive(source, passphrase, args.extract_to)
            else:
                manifest = backup.restore_backup(source, passphrase, progress=_progress)
    except (backup.BackupError, OSError) as error:
        print(f"Nothing was restored: {error}", file=sys.stderr)
        return getattr(error, "exit_code", 1)
    if not args.extract_to:
        migrate()  # a backup from an older version: bring its schema up to this one
        from bsbstudio.accounts.audit import record

        record(None, "backup.restore", via="command", created_at=manifest["created_at"])
    _progress(
        f"restored {len(manifest['files'])} files (backup of {manifest['created_at']}, "
        f"version {manifest['app_version']}) in {time.monotonic() - started:.1f} s"
    )
    return 0

"""Where recordings lie on disk: one flat folder, ``settings.RECORDINGS_ROOT``, outside the web root.

Files get random names (the original name may hold a person's name, and stays in the database
only), are readable by the server's own user alone (mode 0600, folder 0700), and are reached only
through the checked views in ``views.py``. A file is written as ``<name>.part`` while it streams in
and renamed once it is accepted, so a half-received file can always be told apart.

This module is the one place that touches the files, so another backend (object storage) would
replace only it.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

PARTIAL_SUFFIX = ".part"
_NAME = re.compile(r"^[0-9a-f]{32}(\.[a-z0-9]{1,5})?(\.part)?$")


def root() -> Path:
    """The recordings folder, created (mode 0700) on first use."""
    folder = Path(settings.RECORDINGS_ROOT)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def is_stored_name(name: str) -> bool:
    """Whether ``name`` looks like a name this module gave (so no path can be smuggled in)."""
    return bool(_NAME.match(name))


def path_of(stored_name: str) -> Path:
    """The path of a stored file; refuses anything but a name this module made."""
    if not is_stored_name(stored_name):
        raise ValueError(f"not a recording file name: {stored_name!r}")
    return root() / stored_name


def create_partial() -> tuple[str, BinaryIO]:
    """Open a new, empty file with a random name for an upload to stream into.

    ``O_EXCL`` and ``O_NOFOLLOW`` make sure it is a new file, never one that was there (or a link
    planted there); ``fchmod`` sets 0600 whatever the process's umask.
    """
    name = secrets.token_hex(16) + PARTIAL_SUFFIX
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path_of(name), flags, 0o600)
    try:
        os.fchmod(descriptor, 0o600)
        return name, os.fdopen(descriptor, "wb")
    except BaseException:
        os.close(descriptor)
        raise


def keep(partial_name: str, extension: str) -> str:
    """Turn an accepted partial file into a stored recording; return its stored name."""
    final_name = partial_name.removesuffix(PARTIAL_SUFFIX) + "." + extension
    os.replace(path_of(partial_name), path_of(final_name))
    return final_name


def remove(stored_name: str) -> bool:
    """Delete a stored file and say whether it is verifiably gone.

    A file already missing counts as gone. The check afterwards is the proof the retention
    promise rests on: a deletion is only recorded when the file no longer exists.
    """
    path = path_of(stored_name)
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    return not os.path.exists(path)


def open_for_reading(stored_name: str) -> BinaryIO:
    """Open a stored recording for playback (FileNotFoundError when it is gone)."""
    return open(path_of(stored_name), "rb")  # closed by the response that streams it


def stored_files() -> Iterator[tuple[str, float]]:
    """Every file in the folder that this module named, with its modification time."""
    with os.scandir(root()) as entries:
        for entry in entries:
            if entry.is_file(follow_symlinks=False) and is_stored_name(entry.name):
                yield entry.name, entry.stat(follow_symlinks=False).st_mtime

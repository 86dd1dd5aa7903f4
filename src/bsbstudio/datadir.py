"""Keep the data folder private: the folder and everything under it readable by its owner only.

The folder holds the SQLite database (and its WAL), the secret key, media, recordings and upload
spool files: interview material and what unlocks it. The process umask (0o077, set in settings)
makes new files 0600 and folders 0700; ``protect_data_dir`` corrects what an older version, a
restored backup or a hand-made copy left readable to others.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def _tighten(path: str, mode: int, wanted: int) -> None:
    if stat.S_IMODE(mode) != wanted:
        try:
            os.chmod(path, wanted, follow_symlinks=False)
        except (NotImplementedError, PermissionError, FileNotFoundError):
            # A link (chmod of a link is not supported on Linux) or a file of another user:
            # leave it; it is not ours to change.
            pass


def protect_data_dir(root: Path) -> None:
    """Set the folder tree under ``root`` to 0700 (folders) and 0600 (files); links are left."""
    root_stat = os.lstat(root)
    _tighten(str(root), root_stat.st_mode, FOLDER_MODE)
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            path = os.path.join(folder, name)
            mode = os.lstat(path).st_mode
            if stat.S_ISDIR(mode):
                _tighten(path, mode, FOLDER_MODE)
        for name in files:
            path = os.path.join(folder, name)
            try:
                mode = os.lstat(path).st_mode
            except FileNotFoundError:  # removed meanwhile (a SQLite journal)
                continue
            if stat.S_ISREG(mode):
                _tighten(path, mode, FILE_MODE)

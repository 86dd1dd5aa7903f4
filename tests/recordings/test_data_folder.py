"""Issue 8, hole 5: the data folder is 0700 and every file in it 0600, database and WAL included.

A fresh `bsb` process is started on a new data folder (the umask and the correction of old
modes happen at process start), migrates, writes through the database, stores a media file and a
recording, and leaves; then every mode is checked, and a file an older version left 0644 is
found corrected.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent(
    """
    from bsbstudio.cli.server import migrate, setup_django

    setup_django()
    migrate()
    from django.contrib.auth.models import User
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import connection

    from bsbstudio.fieldwork.recordings import storage

    User.objects.create_user("someone", password="long enough password")
    default_storage.save("originals/intervju.docx", ContentFile(b"raw material"))
    name, handle = storage.create_partial()
    handle.write(b"audio")
    handle.close()
    storage.keep(name, "wav")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
    # The WAL file is removed when the last connection closes: look at it while it is open.
    import os, stat
    wal = os.path.join(os.environ["BSB_DATA_DIR"], "bsbstudio.sqlite3-wal")
    print("WAL", oct(stat.S_IMODE(os.stat(wal).st_mode)))
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_data_folder_and_every_file_in_it_are_private(tmp_path):
    data = tmp_path / "data"
    (data / "media").mkdir(parents=True)
    data.chmod(0o755)
    old = data / "media" / "from-an-older-version.txt"
    old.write_text("left readable by an older version")
    old.chmod(0o644)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "BSB_SECRET_KEY", "DJANGO_SETTINGS_MODULE")
    }
    env["BSB_DATA_DIR"] = str(data)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "WAL 0o600" in result.stdout
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    seen = set()
    for folder, dirs, files in os.walk(data):
        for name in dirs:
            assert stat.S_IMODE(os.stat(os.path.join(folder, name)).st_mode) == 0o700, name
        for name in files:
            path = os.path.join(folder, name)
            assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
            seen.add(os.path.relpath(path, data))
    assert {"bsbstudio.sqlite3", "secret_key", "media/from-an-older-version.txt"} <= seen
    assert "media/originals/intervju.docx" in seen
    assert any(name.startswith("recordings/") and name.endswith(".wav") for name in seen)

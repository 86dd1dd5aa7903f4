"""The engine, its CLI and its bench import without Django."""

import subprocess
import sys


def test_engine_does_not_import_django():
    code = (
        "import sys, bsbstudio.transcripts.engine, bsbstudio.transcripts.cli, "
        "bsbstudio.transcripts.bench; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0

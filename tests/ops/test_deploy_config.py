"""The deployment guide's example configuration works: settings parse, ``check --deploy`` passes.

``deploy/example.env`` is loaded the way systemd's ``EnvironmentFile`` loads it, with only the
data folder (and the placeholder password) replaced, into a fresh process that imports the
settings; Django's deployment checks then run with it. The checks left are the ones
``docs/deploy.md`` explains, by their id. Each variable the settings read is in the example
and in the guide, so that neither falls behind the code.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "deploy" / "example.env"
GUIDE = ROOT / "docs" / "deploy.md"
SETTINGS_FILES = [
    ROOT / "src" / "bsbstudio" / "settings.py",
    ROOT / "src" / "bsbstudio" / "security_settings.py",
]
#: The deployment warnings the guide explains and the configuration keeps on purpose.
EXPLAINED = {"security.W005", "security.W021"}


def example_env() -> dict[str, str]:
    """The example's variables, parsed as systemd's EnvironmentFile reads them."""
    values = {}
    for number, line in enumerate(EXAMPLE.read_text().splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, equals, value = line.partition("=")
        assert equals and re.fullmatch(r"[A-Z_][A-Z0-9_]*", name), f"line {number}: {line!r}"
        values[name] = value
    return values


def environment(tmp_path, **changes) -> dict[str, str]:
    """A clean environment with the example's variables, the data folder in ``tmp_path``."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    env |= example_env()
    env["BSB_DATA_DIR"] = str(tmp_path / "data")
    env |= changes
    return {name: value for name, value in env.items() if value is not None}


def run(args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        env=env,
        cwd=env["HOME"],
        capture_output=True,
        text=True,
        timeout=300,
    )


SHOW_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "database_host": settings.DATABASES["default"]["HOST"],
    "debug": settings.DEBUG,
    "hosts": settings.ALLOWED_HOSTS,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "secure_cookies": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
    "hsts": settings.SECURE_HSTS_SECONDS,
    "proxy_header": settings.SECURE_PROXY_SSL_HEADER,
    "proxy_count": settings.BSB_PROXY_COUNT,
    "two_factor": settings.BSB_REQUIRE_2FA,
    "key_length": len(settings.SECRET_KEY),
    "recording_days": settings.RECORDING_MAX_DAYS,
}))
"""


def test_settings_parse_with_the_example_configuration(tmp_path):
    env = environment(tmp_path, DJANGO_SETTINGS_MODULE="bsbstudio.settings")
    done = run(["-c", SHOW_SETTINGS], env)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["database_host"] == "db.helse.example"
    assert found["debug"] is False
    assert found["hosts"] == ["bsb.helse.example"]
    assert found["ssl_redirect"] is True
    assert found["secure_cookies"] == [True, True]
    assert found["hsts"] == 31_536_000
    assert found["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert found["proxy_count"] == 1
    assert found["two_factor"] is True
    assert found["key_length"] >= 50  # generated into the data folder, as the guide says
    assert found["recording_days"] == 60
    assert (tmp_path / "data" / "secret_key").stat().st_mode & 0o077 == 0


def deploy_check(env) -> tuple[int, set[str], str]:
    done = run(["-m", "bsbstudio.cli.main", "manage", "check", "--deploy"], env)
    output = done.stdout + done.stderr
    return done.returncode, set(re.findall(r"\(([a-z_]+\.[EW]\d{3})\)", output)), output


def test_check_deploy_passes_with_the_example_configuration(tmp_path):
    code, found, output = deploy_check(environment(tmp_path))
    assert code == 0, output[-3000:]
    assert found <= EXPLAINED, output[-3000:]
    guide = GUIDE.read_text()
    for check in found:
        assert check in guide, f"{check} is left by the example but not explained in the guide"


def test_check_deploy_catches_a_configuration_without_https(tmp_path):
    # The check above could pass by checking nothing: without HTTPS it must speak up.
    code, found, output = deploy_check(environment(tmp_path, BSB_HTTPS=None, BSB_DEBUG="1"))
    assert {"security.W008", "security.W012", "security.W016", "security.W018"} <= found, output


def test_every_variable_the_settings_read_is_in_the_example_and_the_guide():
    read = set()
    for path in SETTINGS_FILES:
        read |= set(re.findall(r"""["'](BSB_[A-Z0-9_]+|DATABASE_URL)["']""", path.read_text()))
    example = EXAMPLE.read_text()
    guide = GUIDE.read_text()
    missing_example = sorted(name for name in read if name not in example)
    missing_guide = sorted(name for name in read if name not in guide)
    assert not missing_example, f"not in deploy/example.env: {missing_example}"
    assert not missing_guide, f"not in docs/deploy.md: {missing_guide}"
    assert "BSB_DEBUG=1" not in [line.strip() for line in example.splitlines()]


@pytest.mark.parametrize("name", ["BSB_HTTPS", "BSB_PROXY_COUNT", "DATABASE_URL"])
def test_the_example_sets_what_production_needs(name):
    assert example_env().get(name)

"""Fixtures for the job tests: the test job functions, and the immediate task backend."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import jobfuncs  # noqa: E402, F401  (registers the test job kinds)

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def immediate(settings, tmp_path):
    """Run tasks at once, inside ``start``; results go to a temporary media folder."""
    settings.TASKS = IMMEDIATE
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


@pytest.fixture
def waiting(settings, tmp_path):
    """Store tasks without running them (as if no worker ran yet)."""
    settings.TASKS = DUMMY
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings

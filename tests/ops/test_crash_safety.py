"""Crash safety: `bsb serve` killed with SIGKILL during bursts of writes loses nothing it acknowledged.

Runs the real server on a SQLite file in a temporary data folder (see bsbstudio.loadtest.crash);
20 rounds with short bursts. The seed is printed, and named in the failure message, for a rerun:
`bsb bench crash --rounds 20 --seed SEED`.
"""

import os
import random

import pytest

from bsbstudio.loadtest.crash import crash_test

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the crash test checks the SQLite file (PRAGMA integrity_check); it runs on the SQLite leg",
)


def test_kills_lose_no_acknowledged_write(tmp_path):
    seed = int(os.environ.get("BSB_CRASH_SEED", random.randrange(1_000_000)))
    rounds = int(os.environ.get("BSB_CRASH_ROUNDS", "20"))  # more (or fewer) on demand
    outcome = crash_test(
        rounds, threads=3, seed=seed, folder=tmp_path, min_burst=0.5, max_burst=2.5
    )
    context = f"seed {seed} (rerun: bsb bench crash --rounds 20 --seed {seed})"
    print(context, outcome["acknowledged"], "acknowledged,", outcome["found"], "found")
    assert outcome["integrity"] == ["ok"] * rounds, context
    assert outcome["missing"] == [], context
    assert outcome["server_errors"] == [], context
    # The bursts really wrote (quotes at least; uploads and decisions take longer to answer).
    assert outcome["segments"] > 0, context
    assert outcome["found"] == outcome["acknowledged"], context

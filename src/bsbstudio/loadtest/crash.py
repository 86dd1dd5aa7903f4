"""`bsb bench crash`: SIGKILL `bsb serve` during bursts of writes; nothing acknowledged is lost.

Each round: several threads log in and write (code a quote, upload a small transcript, decide a
de-identification hit) as fast as the server answers; at a random moment the server process is
killed with SIGKILL; it is started again (the real `bsb serve` path on a SQLite file), and then
``PRAGMA integrity_check`` must say ``ok`` and every write that got a success answer must be in
the database. The database is read with Python's own ``sqlite3``, not through Django.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .runner import (
    DEMO_PASSWORD,
    DEMO_USERNAME,
    free_port,
    run_prepare,
    server_env,
    tool,
    wait_until_up,
)

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEGMENT = re.compile(r"#segment-(\d+)$")
IMPORTED = re.compile(r"/(?:deid/transcript|transcripts)/(\d+)/(?:speakers/)?$")
TRANSCRIPT = (
    "I: Hvordan var det å få hjelp?\n"
    "{speaker}: Det tok tid. Tone ringte hver uke, og det hjalp meg mye. Merke {mark}.\n"
)


@dataclass
class Acknowledged:
    """The writes that got a success answer, by kind, with what identifies each."""

    segments: list = field(default_factory=list)  # (pk, text pk, start, end)
    transcripts: list = field(default_factory=list)  # (pk, file name)
    decisions: list = field(default_factory=list)  # (detection pk, decision)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, item: tuple) -> None:
        """Record one acknowledged write (thread-safe)."""
        with self.lock:
            getattr(self, kind).append(item)

    def count(self) -> int:
        """How many writes were acknowledged."""
        return len(self.segments) + len(self.transcripts) + len(self.decisions)


class Server:
    """`bsb serve` on a data folder, started in its own process group so it can be killed."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log, self.port, self.process = env, log, free_port(), None

    @property
    def url(self) -> str:
        """The server's address."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start it and wait until the log-in page answers."""
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [tool("bsb"), "serve", "--port", str(self.port)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until_up(f"{self.url}/accounts/login/", self.process)

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind runs."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def _session(url: str):
    import requests

    session = requests.Session()
    page = session.get(f"{url}/accounts/login/", timeout=30)
    token = CSRF_FIELD.search(page.text).group(1)
    response = session.post(
        f"{url}/accounts/login/",
        data={
            "username": DEMO_USERNAME,
            "password": DEMO_PASSWORD,
            "csrfmiddlewaretoken": token,
            "next": "/e/",
        },
        allow_redirects=False,
        timeout=30,
    )
    if response.status_code != 302:
        raise RuntimeError(f"log-in refused ({response.status_code})")
    return session


def _writer(session, url, plan, pool, rng, name, stop, acknowledged, errors):
    """Write until the server is gone (or ``stop`` is set); record each success answer."""
    import requests

    evaluation = plan["evaluations"][0]
    slug = evaluation["slug"]
    n = 0
    while not stop.is_set():
        n += 1
        token = session.cookies.get("csrftoken", "")
        kind = rng.choice(["code", "code", "code", "upload", "decide", "decide"])
        try:
            if kind == "code":
                text = rng.choice(evaluation["texts"])
                body = text["text"]
                start = rng.randrange(0, len(body) - 120)
                end = start + rng.randint(20, 100)
                response = session.post(
                    f"{url}/e/{slug}/analysis/text/{text['pk']}/",
                    data={
                        "csrfmiddlewaretoken": token,
                        "code": rng.choice(evaluation["codes"]),
                        "quote": body[start:end],
                        "start": start,
                        "end": end,
                        "polarity": "neutral",
                        "directness": "direct",
                    },
                    allow_redirects=False,
                    timeout=60,
                )
                match = SEGMENT.search(response.headers.get("Location", ""))
                if response.status_code == 302 and match:
                    acknowledged.add("segments", (int(match.group(1)), text["pk"], start, end))
                elif response.status_code >= 500:
                    errors.append(f"code: {response.status_code}")
            elif kind == "upload":
                interview = rng.choice(evaluation["interviews"])
                filename = f"krasj-{name}-{n}.txt"
                text = TRANSCRIPT.format(speaker=interview["speakers"][0], mark=f"{name}-{n}")
                response = session.post(
                    f"{url}/e/{slug}/transcripts/interview/{interview['pk']}/upload/",
                    data={"csrfmiddlewaretoken": token},
                    files={"file": (filename, text.encode("utf-8"), "text/plain")},
                    allow_redirects=False,
                    timeout=60,
                )
                match = IMPORTED.search(response.headers.get("Location", ""))
                if response.status_code == 302 and match:
                    acknowledged.add("transcripts", (int(match.group(1)), filename))
                elif response.status_code >= 500:
                    errors.append(f"upload: {response.status_code}")
            elif pool:
                detection_pk, transcript_pk, current = pool.pop()
                decision = "rejected" if current == "confirmed" else "confirmed"
                response = session.post(
                    f"{url}/e/{slug}/deid/transcript/{transcript_pk}/",
                    data={"csrfmiddlewaretoken": token, f"decision_{detection_pk}": decision},
                    timeout=60,
                )
                # The answer is the review page again; its message says whether it was saved.
                if (
                    response.status_code == 200
                    and "message-success" in response.text
                    and "message-error" not in response.text
                ):
                    acknowledged.add("decisions", (detection_pk, decision))
                elif response.status_code >= 500:
                    errors.append(f"decide: {response.status_code}")
        except requests.RequestException:
            return  # the server is gone: this write was never acknowledged


def check_database(db_path: Path, acknowledged: Acknowledged) -> dict:
    """``PRAGMA integrity_check`` and which acknowledged writes are in the database."""
    connection = sqlite3.connect(db_path, timeout=30)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        missing = []
        for pk, text_pk, start, end in acknowledged.segments:
            row = connection.execute(
                'SELECT text_id, start, "end" FROM analysis_codedsegment WHERE id = ?', (pk,)
            ).fetchone()
            if row != (text_pk, start, end):
                missing.append(("segment", pk))
        for pk, filename in acknowledged.transcripts:
            row = connection.execute(
                "SELECT source_filename FROM transcripts_transcript WHERE id = ?", (pk,)
            ).fetchone()
            if row != (filename,):
                missing.append(("transcript", pk))
        for pk, decision in acknowledged.decisions:
            row = connection.execute(
                "SELECT decision FROM deid_detection WHERE id = ?", (pk,)
            ).fetchone()
            if row != (decision,):
                missing.append(("decision", pk))
    finally:
        connection.close()
    return {"integrity": integrity, "missing": missing}


def _detection_pool(db_path: Path, used: set, size: int, rng: random.Random) -> list:
    connection = sqlite3.connect(db_path, timeout=30)
    try:
        rows = connection.execute(
            "SELECT id, transcript_id, decision FROM deid_detection ORDER BY id"
        ).fetchall()
    finally:
        connection.close()
    rows = [row for row in rows if row[0] not in used]
    rng.shuffle(rows)
    chosen = rows[:size]
    used.update(row[0] for row in chosen)
    return chosen


def crash_test(
    rounds: int = 20,
    *,
    threads: int = 4,
    seed: int | None = None,
    folder: Path | None = None,
    min_burst: float = 1.0,
    max_burst: float = 4.0,
    say=None,
) -> dict:
    """Run the rounds; return counts, integrity results, missing writes and server errors."""
    say = say or (lambda line: print(line, flush=True))
    seed = random.randrange(1_000_000) if seed is None else seed
    rng = random.Random(seed)
    folder = Path(folder or tempfile.mkdtemp(prefix="bsb-crash-"))
    env = server_env(folder / "data", None)
    db_path = folder / "data" / "bsbstudio.sqlite3"
    started = time.monotonic()
    if (folder / "plan.json").exists():  # a folder prepared by an earlier run (--folder)
        plan = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    else:
        plan = run_prepare(env, folder / "plan.json", only="ambulant_team.yaml", downloads=False)
    say(f"seed {seed}; minimal demo evaluation loaded in {time.monotonic() - started:.0f} s")
    server = Server(env, folder / "serve.log")
    server.start()
    acknowledged = Acknowledged()
    results, errors, used = [], [], set()
    # Logged in once: sessions live in the database and outlast a kill, and logging in
    # (Argon2) inside the burst would leave little time for writes.
    sessions = [_session(server.url) for _t in range(threads)]
    try:
        for number in range(1, rounds + 1):
            round_ack = Acknowledged()
            stop = threading.Event()
            workers = []
            for t in range(threads):
                pool = _detection_pool(db_path, used, 15, rng)
                worker = threading.Thread(
                    target=_writer,
                    args=(
                        sessions[t],
                        server.url,
                        plan,
                        pool,
                        random.Random(rng.random()),
                        f"r{number}t{t}",
                        stop,
                        round_ack,
                        errors,
                    ),
                )
                worker.start()
                workers.append(worker)
            time.sleep(rng.uniform(min_burst, max_burst))
            server.kill()
            stop.set()
            for worker in workers:
                worker.join(timeout=60)
            server.start()  # the real restart path: migrate, clean-up of interrupted imports
            for kind in ("segments", "transcripts", "decisions"):
                getattr(acknowledged, kind).extend(getattr(round_ack, kind))
            check = check_database(db_path, acknowledged)
            results.append(
                {
                    "round": number,
                    "acknowledged": round_ack.count(),
                    "integrity": check["integrity"],
                    "missing": check["missing"],
                }
            )
            say(
                f"round {number}: {round_ack.count()} writes acknowledged "
                f"({len(round_ack.segments)} quotes, {len(round_ack.transcripts)} uploads, "
                f"{len(round_ack.decisions)} decisions); integrity {check['integrity']}; "
                f"missing {len(check['missing'])}"
            )
    finally:
        server.kill()
    final = check_database(db_path, acknowledged)
    return {
        "seed": seed,
        "rounds": rounds,
        "acknowledged": acknowledged.count(),
        "segments": len(acknowledged.segments),
        "transcripts": len(acknowledged.transcripts),
        "decisions": len(acknowledged.decisions),
        "found": acknowledged.count() - len(final["missing"]),
        "integrity": [r["integrity"] for r in results],
        "missing": final["missing"],
        "server_errors": errors,
        "seconds": time.monotonic() - started,
        "folder": str(folder),
    }


def run_crash_bench(args: argparse.Namespace) -> int:
    """Print each round and the totals; 0 when nothing acknowledged was lost."""
    outcome = crash_test(args.rounds, threads=args.threads, seed=args.seed, folder=args.folder)
    ok = sum(1 for value in outcome["integrity"] if value == "ok")
    print(
        f"\n{outcome['rounds']} rounds (seed {outcome['seed']}), {outcome['seconds']:.0f} s: "
        f"{outcome['acknowledged']} writes acknowledged ({outcome['segments']} quotes, "
        f"{outcome['transcripts']} uploads, {outcome['decisions']} decisions), "
        f"{outcome['found']} found; integrity_check ok in {ok} of {outcome['rounds']} rounds; "
        f"{len(outcome['server_errors'])} server errors"
    )
    good = not outcome["missing"] and ok == outcome["rounds"] and not outcome["server_errors"]
    return 0 if good else 1


def register_bench(bench_subparsers) -> None:
    """Add `bsb bench crash`."""
    parser = bench_subparsers.add_parser(
        "crash",
        help="kill the server with SIGKILL during writes; check nothing acknowledged is lost",
    )
    parser.add_argument("--rounds", type=int, default=20, help="kills (default 20)")
    parser.add_argument("--threads", type=int, default=4, help="writing threads (default 4)")
    parser.add_argument("--seed", type=int, help="random seed (printed; default random)")
    parser.add_argument(
        "--folder", type=Path, help="work folder (reused when an earlier run prepared it)"
    )
    parser.set_defaults(func=run_crash_bench)

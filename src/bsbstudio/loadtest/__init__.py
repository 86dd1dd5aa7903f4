"""Load and crash tests of the running web application (a developer tool, not a Django app).

- ``runner``: `bsb bench load` builds a demo data folder, serves it with gunicorn (several worker
  processes) on loopback and drives it with locust in a subprocess; prints p95 per page type.
- ``locustfile``: what the simulated team does; read only by the locust subprocess (locust
  monkey-patches the standard library with gevent, so it is never imported here or in tests).
- ``crash``: `bsb bench crash` kills `bsb serve` with SIGKILL during bursts of writes and checks
  that the SQLite database is intact and that every acknowledged write is there.
"""

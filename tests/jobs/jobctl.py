"""A small control program the worker tests run as a subprocess, against the worker's database.

python jobctl.py start KIND STEPS PAUSE   -> prints the new job's id
python jobctl.py wait ID WHAT TIMEOUT     -> waits until WHAT ("progress" or "finished"),
                                             prints the job as JSON
"""

from __future__ import annotations

import json
import os
import sys
import time


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bsbstudio.settings")
    import django

    django.setup()
    import jobfuncs  # noqa: F401  (registers the test kinds)
    from django.core.management import call_command

    from bsbstudio.jobs import api
    from bsbstudio.jobs.models import Job

    if argv[0] == "start":
        call_command("migrate", interactive=False, verbosity=0)
        job = api.start(argv[1], args={"steps": int(argv[2]), "pause": float(argv[3])})
        print(job.pk)
        return 0
    job_id, what, timeout = int(argv[1]), argv[2], float(argv[3])
    deadline = time.monotonic() + timeout
    while True:
        job = Job.objects.get(pk=job_id)
        reached = job.finished if what == "finished" else (job.state == "running" and job.done >= 2)
        if reached or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    print(
        json.dumps(
            {
                "state": job.state,
                "done": job.done,
                "attempts": job.attempts,
                "message": job.message_template,
            }
        )
    )
    return 0 if reached else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

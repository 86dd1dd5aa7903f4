"""gunicorn settings for the load test: what `bsb serve` does before serving, once, before forking.

The application and every page's code are loaded in the master process (``preload_app``), then
``bsbstudio.web.warmup`` compiles the templates, reads the languages and runs the NER model once,
so every worker starts ready and shares that memory: no worker imports the views (4 s), reads the
model (2 s) or compiles a page's templates while the first users are already waiting.
"""

import tempfile

# One request at a time per process: a process's threads share one interpreter lock, and on a
# small machine 4 threads per process gave every page a higher p95 than more single ones. The
# gthread class (not sync) keeps idle kept-alive connections without holding the process.
worker_class = "gthread"
threads = 1
timeout = 120
preload_app = True
# Longer than a simulated user's pause (1-4 s): with gunicorn's default of 2 s the server may
# close a kept-alive connection just as the client sends the next request on it.
keepalive = 30


def when_ready(server) -> None:
    """In the master, after the application is loaded and before any worker is forked."""
    from django.conf import settings
    from django.db import connections

    from bsbstudio.web.warmup import warm_up

    tempfile.tempdir = str(settings.UPLOAD_TEMP_DIR)
    warm_up()  # every page's code came with the application (bsbstudio.wsgi)
    connections.close_all()  # a connection must never be shared by forked workers

"""gunicorn settings for the load test: what `bsb serve` does before serving, per worker process."""

import tempfile
import threading

worker_class = "gthread"
threads = 4
timeout = 120
# Longer than a simulated user's pause (1-4 s): with gunicorn's default of 2 s the server may
# close a kept-alive connection just as the client sends the next request on it.
keepalive = 30


def post_worker_init(worker) -> None:
    """Keep spooled uploads in the data folder and load the NER model before the first upload."""
    from django.conf import settings

    from bsbstudio.deid.engine.model import load_model

    tempfile.tempdir = str(settings.UPLOAD_TEMP_DIR)
    threading.Thread(target=load_model, name="bsb-model-warm-up", daemon=True).start()

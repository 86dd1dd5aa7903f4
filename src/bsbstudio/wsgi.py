"""WSGI entry point for BSB Studio."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bsbstudio.settings")
application = get_wsgi_application()

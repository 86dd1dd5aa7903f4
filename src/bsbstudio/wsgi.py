"""WSGI entry point for BSB Studio, and the warm-up a server runs before its first request."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bsbstudio.settings")
application = get_wsgi_application()


def import_every_page() -> int:
    """Import the URL configuration and with it every view and the libraries they use.

    Django does this on the first request, and it takes 4 s: the first user would wait for it.
    """
    from django.urls import get_resolver

    return len(get_resolver().url_patterns)  # reading them imports every view module

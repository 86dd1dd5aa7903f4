"""WSGI entry point for BSB Studio: the application, with every page's code already imported.

Django imports the URL configuration, and with it every view and the libraries they use, on the
first request: 4 s that the first user after a restart would wait. Every server that imports
this module (``bsb serve``, gunicorn, ``waitress-serve bsbstudio.wsgi:application``) does it now.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bsbstudio.settings")
application = get_wsgi_application()


def import_every_page() -> int:
    """Import the URL configuration and with it every view; the number of its top patterns."""
    from django.urls import get_resolver

    return len(get_resolver().url_patterns)  # reading them imports every view module


import_every_page()

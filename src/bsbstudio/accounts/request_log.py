"""One log line for each refused request (403), not a traceback.

Django's ``django.request`` logger writes "Forbidden (Permission denied)" with the whole
traceback of the PermissionDenied that a policy check raised. A refusal is expected behaviour, and
a security officer reads these lines: status, method, path and user id, one line each.
"""

from __future__ import annotations

import logging


class OneLineForbidden(logging.Filter):
    """Rewrite a 403 record of ``django.request`` as one line without the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep the record, shortened when it is about a 403 response."""
        if getattr(record, "status_code", None) != 403:
            return True
        request = getattr(record, "request", None)
        user = getattr(request, "user", None)
        user_id = getattr(user, "pk", None) if user is not None else None
        record.msg = "Forbidden %s %s %s user=%s"
        record.args = (
            403,
            getattr(request, "method", "-"),
            getattr(request, "path", "-"),
            user_id if user_id is not None else "-",
        )
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True

"""Error pages in the site's own layout and language, so a person never sees a bare server page."""

from django.shortcuts import render


def bad_request(request, exception=None):
    """400: the request could not be understood."""
    return render(request, "web/error.html", {"status": 400}, status=400)


def permission_denied(request, exception=None):
    """403: the person's role does not allow this."""
    return render(request, "web/error.html", {"status": 403}, status=403)


def page_not_found(request, exception=None):
    """404: nothing here, or nothing this person may know about."""
    return render(request, "web/error.html", {"status": 404}, status=404)


def server_error(request):
    """500: something broke on our side; the page still speaks the person's language."""
    return render(request, "web/error.html", {"status": 500}, status=500)

"""Language choice: Norwegian bokmål unless the person picked another language in the switch.

Django's LocaleMiddleware would follow the browser's Accept-Language, which on many public-sector
machines says English; BSB Studio's users expect Norwegian unless they ask otherwise.
"""

from django.conf import settings
from django.utils import translation


class ChosenLanguageMiddleware:
    """Activate the language from the language cookie, or the default (nb)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        """Activate the chosen language for this request."""
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        return response

"""Django settings for BSB Studio, read from environment variables with safe defaults.

BSB_DATA_DIR     data folder (default ./var): the SQLite database, media, the secret key
DATABASE_URL     selects another database, e.g. postgres://user:pw@host/db
BSB_SECRET_KEY   overrides the key generated once into the data folder
BSB_DEBUG        "1" for development pages with tracebacks (never in production)
BSB_ALLOWED_HOSTS comma-separated host names (default 127.0.0.1,localhost)
BSB_MAX_UPLOAD_MB largest accepted upload in megabytes (default 50)
BSB_MAX_AUDIO_MB  largest accepted audio recording in megabytes (default 2048)
BSB_RECORDING_MAX_DAYS days after an interview by which its recording is deleted at the latest
                  (default 60)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("BSB_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Return the configured key, or one generated once and kept in the data folder."""
    if os.environ.get("BSB_SECRET_KEY"):
        return os.environ["BSB_SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("BSB_DEBUG", "") == "1"
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("BSB_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "bsbstudio.web",
    "bsbstudio.accounts",
    "bsbstudio.evaluations",
    "bsbstudio.guide",
    "bsbstudio.fieldwork",
    "bsbstudio.transcripts",
    "bsbstudio.deid",
    "bsbstudio.analysis",
    "bsbstudio.conference",
    "bsbstudio.reports",
    "bsbstudio.followup",
    "bsbstudio.exchange",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "bsbstudio.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "bsbstudio.urls"
WSGI_APPLICATION = "bsbstudio.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

_sqlite_path = DATA_DIR / "bsbstudio.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{_sqlite_path}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE avoids "database is locked"
    # when two requests upgrade a read transaction to a write at once.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "evaluations:list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True  # serve straight from the apps; no collectstatic step for the demo
MEDIA_ROOT = (
    DATA_DIR / "media"
)  # never under the web root: files are served by views that check access

MAX_UPLOAD_BYTES = int(os.environ.get("BSB_MAX_UPLOAD_MB", "50")) * 1024 * 1024
MAX_AUDIO_BYTES = int(os.environ.get("BSB_MAX_AUDIO_MB", "2048")) * 1024 * 1024
RECORDING_MAX_DAYS = int(os.environ.get("BSB_RECORDING_MAX_DAYS", "60"))
RECORDINGS_ROOT = DATA_DIR / "recordings"  # outside the web root; served only through checked views
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BSB_LOG_LEVEL", "WARNING")},
}

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
BSB_SMTP_HOST    mail server for invitations and password reset (default none: links are shown
                  on the page instead); BSB_SMTP_PORT (587), BSB_SMTP_USER, BSB_SMTP_PASSWORD,
                  BSB_SMTP_TLS ("1", STARTTLS; "0" for none), BSB_MAIL_FROM (sender address)
BSB_MAX_TRANSCRIPT_WORDS most words one transcript may have (default 300000)
BSB_MAX_XML_PART_MB largest unpacked XML part of a DOCX/ODT file in megabytes (default 20)
BSB_BACKGROUND_IMPORT_MB transcript files larger than this (megabytes, default 2) are read in a
                  background task with progress on the interview page
BSB_TASKS_URL    redis://... runs background work through Redis (RQ) and `bsb worker` (default
                  none: the database queue and the worker inside `bsb serve`)
BSB_JOBS_STALE_SECONDS seconds without a heartbeat after which a running job counts as
                  interrupted (default 60)
BSB_SQLITE_BUSY_TIMEOUT seconds a SQLite write waits for another to finish before failing
                  (default 20)
BSB_SESSION_IDLE_MINUTES, BSB_HTTPS, BSB_HSTS_SECONDS, BSB_PROXY_COUNT, BSB_LOCKOUT_FAILURES,
BSB_LOCKOUT_MINUTES, BSB_REQUIRE_2FA: sessions, HTTPS, log-in lock-out and two-factor login, see
                  ``bsbstudio/security_settings.py``

Everything in the data folder is private to the server's user: the process umask is 0o077, the
folder is 0700 and every file in it 0600 (existing ones are corrected at start). Uploads spool to
``<data folder>/tmp``, never to the system temp folder.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

from bsbstudio.datadir import protect_data_dir
from bsbstudio.security_settings import security_settings
from bsbstudio.storage_settings import storage_settings

PACKAGE_DIR = Path(__file__).resolve().parent
# Interview material lives in the data folder: nothing this process creates is readable by others.
os.umask(0o077)
DATA_DIR = Path(os.environ.get("BSB_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
protect_data_dir(DATA_DIR)
# Uploads spool here (Django's temporary upload files, and waitress's request buffers through
# ``tempfile``, see ``cli/server.py``), not in the shared system temp folder.
UPLOAD_TEMP_DIR = DATA_DIR / "tmp"
UPLOAD_TEMP_DIR.mkdir(mode=0o700, exist_ok=True)


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
    # django-otp first, so that its admin registrations exist when accounts/admin.py replaces them
    # with ones that never show a secret key.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
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
    "bsbstudio.jobs",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "bsbstudio.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "bsbstudio.accounts.middleware.IdleTimeoutMiddleware",
    "bsbstudio.accounts.middleware.NoStoreMiddleware",
    "bsbstudio.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a refused log-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
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
                "bsbstudio.accounts.two_factor.template_context",
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
    # ``timeout`` is SQLite's busy timeout: a write that finds another one running waits for it
    # (up to this many seconds) instead of failing at once with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": float(os.environ.get("BSB_SQLITE_BUSY_TIMEOUT", "20")),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2 for new passwords; PBKDF2 stays so that older hashes still log in (and are upgraded).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Mail (invitations, password reset) only when a server is named; without one, links are shown
# on the page to the process leader or organisation administrator who makes them.
EMAIL_HOST = os.environ.get("BSB_SMTP_HOST", "")
EMAIL_PORT = int(os.environ.get("BSB_SMTP_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("BSB_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("BSB_SMTP_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("BSB_SMTP_TLS", "1") == "1"
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("BSB_MAIL_FROM", "bsb-studio@localhost")

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
FILE_UPLOAD_TEMP_DIR = str(UPLOAD_TEMP_DIR)
FILE_UPLOAD_PERMISSIONS = 0o600  # Django's default (0o644) would override the umask
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
MAX_TRANSCRIPT_WORDS = int(os.environ.get("BSB_MAX_TRANSCRIPT_WORDS", "300000"))
MAX_XML_PART_BYTES = int(float(os.environ.get("BSB_MAX_XML_PART_MB", "20")) * 1024 * 1024)
BACKGROUND_IMPORT_BYTES = int(float(os.environ.get("BSB_BACKGROUND_IMPORT_MB", "2")) * 1024 * 1024)
TRANSCRIPT_IMPORTS_ROOT = DATA_DIR / "imports"  # large transcript files waiting for their task
# Storage aliases: "recordings" (audio) and "generated" (files made by background work) are
# local folders under the data folder, or one S3-compatible bucket when BSB_S3_BUCKET is set
# (BSB_S3_ENDPOINT_URL, BSB_S3_REGION, BSB_S3_ACCESS_KEY_ID, BSB_S3_SECRET_ACCESS_KEY,
# BSB_S3_SSE, BSB_S3_KMS_KEY_ID): see ``bsbstudio/storage_settings.py``.
globals().update(storage_settings(os.environ, DATA_DIR))

# Background work (large transcript imports) runs as django-tasks tasks stored in the database;
# `bsb serve` and `bsb demo` run a worker thread, `bsb manage db_worker` runs one on its own.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# BSB_TASKS_URL=redis://host:6379/0 sends tasks to Redis instead, run by `bsb worker` (RQ).
TASKS_URL = os.environ.get("BSB_TASKS_URL", "")
if TASKS_URL:
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": TASKS_URL, "DEFAULT_TIMEOUT": 6 * 3600}}
    INSTALLED_APPS.append("django_rq")
# A running job whose heartbeat is older than this lost its worker: retried once or ended.
JOBS_STALE_SECONDS = float(os.environ.get("BSB_JOBS_STALE_SECONDS", "60"))
# Work above these sizes runs as a background job with progress; below, inside the request.
JOBS_DEID_CHARS = 200_000  # characters of one transcript to de-identify
JOBS_RENDER_QUOTES = 2_000  # coded quotes in an evaluation whose report or slides are rendered
JOBS_QDPX_QUOTES = 2_000  # coded quotes in an evaluation exported as a REFI-QDA project
JOBS_QDPX_IMPORT_CHARS = 200_000  # characters of text in a REFI-QDA project being imported
# BSB_ASR_MODEL_DIR: a local CTranslate2 Whisper model folder for speech-to-text in the
# transcription editor; empty means speech-to-text is not offered.
ASR_MODEL_DIR = os.environ.get("BSB_ASR_MODEL_DIR", "")

# Sessions (idle timeout), HTTPS (Secure cookies, HSTS), the CSP, the lock-out after failed
# log-ins, and whether two-factor login is required: see that module for the variables.
globals().update(security_settings(os.environ))
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses log-ins while locked out; counts failures
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_CALLABLE = "bsbstudio.accounts.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "bsbstudio.accounts.lockout.client_address"
AXES_USERNAME_CALLABLE = "bsbstudio.accounts.lockout.attempted_username"
OTP_TOTP_ISSUER = "BSB Studio"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_403": {"()": "bsbstudio.accounts.request_log.OneLineForbidden"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # A refused request (403) is one line with status, path and user id, not a traceback.
    "loggers": {"django.request": {"filters": ["one_line_403"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("BSB_LOG_LEVEL", "WARNING")},
}

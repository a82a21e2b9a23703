"""Django settings for the partnership web application.

Every setting a deployment may change is read from an environment variable listed in
``ENV_SETTINGS`` (each with its help text, shown in docs/web.md). Nothing else needs editing.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url

from cspkit.web.files import SECRET_KEY_BYTES, stored_secret_key, web_db_path

PACKAGE_DIR = Path(__file__).resolve().parent

#: Environment variables read here: name -> help text. docs/web.md documents each one.
ENV_SETTINGS: dict[str, str] = {
    "CSPKIT_DB": "The warehouse (DuckDB) file; the web database defaults to a file beside it.",
    "DATABASE_URL": "PostgreSQL (or other) database URL; when unset an SQLite file is used.",
    "CSPKIT_WEB_DB": "The SQLite web database file (default: cspkit-web.sqlite3 beside CSPKIT_DB).",
    "CSPKIT_SECRET_KEY": "Secret used to sign sessions; generated and kept in a file if unset.",
    "CSPKIT_ALLOWED_HOSTS": "Comma-separated host names the site answers to.",
    "CSPKIT_DEBUG": "Set to 1 to show Django's debug pages (never in production).",
    "CSPKIT_HTTPS": "Set to 1 behind HTTPS: secure cookies, HSTS and redirect to HTTPS.",
    "CSPKIT_AREA_CODE": "Area (ONS code) used for live indicators when a plan gives none.",
    "CSPKIT_EMAIL_HOST": "SMTP server for password resets, invitations and reminders "
    "(unset: messages are written to the server's console).",
    "CSPKIT_EMAIL_PORT": "SMTP port (default 587).",
    "CSPKIT_EMAIL_USER": "SMTP user name.",
    "CSPKIT_EMAIL_PASSWORD": "SMTP password.",
    "CSPKIT_EMAIL_TLS": "Set to 0 to send without STARTTLS (default: STARTTLS on).",
    "CSPKIT_EMAIL_FROM": "Sender address of the application's mail.",
    "CSPKIT_SITE_URL": "The site's address, used in links in emailed reminders.",
}

DEFAULT_ALLOWED_HOSTS = "localhost,127.0.0.1,[::1],testserver"
SESSION_HOURS = 8
MIN_PASSWORD_LENGTH = 12
HSTS_SECONDS = 31_536_000
SQLITE_BUSY_TIMEOUT_MS = 10_000
INDICATOR_CACHE_SECONDS = 300
#: Each server thread keeps its database connection this long rather than one per request.
DB_CONNECTION_SECONDS = 600
#: Failed sign-ins for one account or one address before it is locked out, and for how long.
LOGIN_FAILURE_LIMIT = 5
LOCKOUT_HOURS = 1
SMTP_DEFAULT_PORT = 587
#: Per-process cache entries (shared pages, indicator series and statuses; see pagecache).
CACHE_MAX_ENTRIES = 2000


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """The kept secret key; a throw-away one for processes that serve nothing."""
    return stored_secret_key() or secrets.token_urlsafe(SECRET_KEY_BYTES)


def _databases() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL")
    if url:
        database = dict(dj_database_url.parse(url, conn_max_age=DB_CONNECTION_SECONDS))
        database["CONN_HEALTH_CHECKS"] = True
        return {"default": database}
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(web_db_path()),
            "CONN_MAX_AGE": DB_CONNECTION_SECONDS,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS};"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
            },
        }
    }


DEBUG = _flag("CSPKIT_DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("CSPKIT_ALLOWED_HOSTS", DEFAULT_ALLOWED_HOSTS).split(",")
    if h.strip()
]
DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "cspkit.web.plan",
    "cspkit.web.monitoring",
    "cspkit.web.public",
    "cspkit.web.casework",
    "axes",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cspkit.web.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cspkit.web.middleware.CurrentUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cspkit.web.urls"
WSGI_APPLICATION = "cspkit.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [str(PACKAGE_DIR / "templates")],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cspkit.web.plan.context.site",
                "cspkit.web.casework.context.caseworker",
            ],
        },
    }
]

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": CACHE_MAX_ENTRIES},
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": MIN_PASSWORD_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "public-plan"

SESSION_COOKIE_AGE = SESSION_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if _flag("CSPKIT_HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = HSTS_SECONDS
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [str(PACKAGE_DIR / "static")]
STATIC_ROOT = None  # files are served from the package by WhiteNoise (no collectstatic)
WHITENOISE_USE_FINDERS = True
WHITENOISE_MAX_AGE = 3600

CSPKIT_AREA_CODE = os.environ.get("CSPKIT_AREA_CODE", "")
CSPKIT_INDICATOR_CACHE_SECONDS = INDICATOR_CACHE_SECONDS

# Sign-in throttling (django-axes): 5 failures for an account or from an address lock it.
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = LOCKOUT_HOURS
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# How many reverse proxies stand in front of the application (0: none); lockouts and rate
# limits then count the client's address that they forwarded, not the proxy's.
CSPKIT_TRUSTED_PROXIES = int(os.environ.get("CSPKIT_TRUSTED_PROXIES") or 0)
AXES_CLIENT_IP_CALLABLE = "cspkit.web.clients.client_address"

# Mail: password resets, invitations and reminders. The console unless an SMTP host is set.
EMAIL_HOST = os.environ.get("CSPKIT_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("CSPKIT_EMAIL_PORT") or SMTP_DEFAULT_PORT)
EMAIL_HOST_USER = os.environ.get("CSPKIT_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CSPKIT_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("CSPKIT_EMAIL_TLS", "1").strip() != "0"
DEFAULT_FROM_EMAIL = os.environ.get("CSPKIT_EMAIL_FROM", "cspkit@localhost")
CSPKIT_SITE_URL = os.environ.get("CSPKIT_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

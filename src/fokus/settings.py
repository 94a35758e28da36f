"""Django settings for Fokus, read only from environment variables (see ``fokus.env``)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

from fokus.env import (
    data_dir,
    email_settings,
    env_bool,
    env_list,
    env_str,
    secret_key,
)
from fokus.sqlite import AUTOCHECKPOINT_PAGES

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

SECRET_KEY = secret_key(DATA_DIR)
DEBUG = env_bool("FOKUS_DEBUG", False)
BASE_URL = (env_str("FOKUS_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
_base = urlsplit(BASE_URL)
HTTPS = _base.scheme == "https"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
if _base.hostname and _base.hostname not in ALLOWED_HOSTS and "*" not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(_base.hostname)
CSRF_TRUSTED_ORIGINS = [f"{_base.scheme}://{_base.netloc}"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "huey.contrib.djhuey",
    # The apps of Fokus, lowest layer first (ARCHITECTURE.md).
    "fokus.ui",
    "fokus.cli",
    "fokus.accounts",
    "fokus.api",
    "fokus.kpis",
    "fokus.customers",
    "fokus.plans",
    "fokus.alerts",
    "fokus.dataio",
    "fokus.guide",
    "fokus.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "fokus.accounts.middleware.OrganisationMiddleware",
]

ROOT_URLCONF = "fokus.urls"
WSGI_APPLICATION = "fokus.wsgi.application"

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
                "fokus.accounts.context_processors.navigation",
                "fokus.alerts.context_processors.open_alerts",
            ],
        },
    },
]

_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "fokus.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                    f" PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES};"
                ),
            },
            # One connection per process, kept: opening one costs more than a query.
            "CONN_MAX_AGE": None,
        }
    }

# The "kpis" cache keeps KPI evaluations per KPI and day under the KPI's data stamp
# (fokus.kpis.selectors.kpi_evaluations) and dashboard cards rendered from them
# (fokus.kpis.fragments); an entry is only ever read on its own day.
KPI_CACHE_SECONDS = 2 * 24 * 3600

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        },
        "kpis": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Per database: two installations sharing one Redis never share KPI entries.
            "KEY_PREFIX": "fokus-kpis-"
            + hashlib.blake2b(
                str(DATABASES["default"].get("NAME", "")).encode()
                + str(DATABASES["default"].get("HOST", "")).encode(),
                digest_size=6,
            ).hexdigest(),
            "TIMEOUT": KPI_CACHE_SECONDS,
        },
    }
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "fokus",
        "url": REDIS_URL,
        "immediate": False,
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "kpis": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "kpis",
            "TIMEOUT": KPI_CACHE_SECONDS,
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        },
    }
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "fokus",
        "filename": str(DATA_DIR / "queue.sqlite3"),
        "immediate": False,
    }

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
# Login rate limit (counted in the cache, so in Redis when REDIS_URL is set): after this
# many failed attempts for one e-mail address (or 20 for one client address) within the window,
# further attempts are refused until the window has passed.
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_LIMIT_PER_CLIENT = 20
LOGIN_FAILURE_WINDOW = 15 * 60
# Password-reset links and invitations by e-mail stay valid this long (seconds).
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
INVITATION_MAX_AGE = 14 * 24 * 3600

LANGUAGE_CODE = env_str("FOKUS_LANGUAGE") or "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("FOKUS_TIME_ZONE") or "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise expects it, even when it serves from finders
STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.AppDirectoriesFinder"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_MAX_AGE = 3600

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

globals().update(email_settings())
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "Fokus <fokus@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: secure cookies, HSTS and redirects whenever Fokus is served over HTTPS.
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp): scripts only from our own static files or inline
# blocks carrying the per-request nonce ({{ request.csp_nonce }}). Styles allow inline
# because plotly.js writes its own stylesheet rules and style attributes at run time.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Webhooks to private, loopback and link-local addresses are refused (tests allow them).
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"huey": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

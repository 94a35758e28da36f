"""Settings for the test suite: the app's settings, with a throw-away data dir, an
in-process task queue and, for the PostgreSQL leg, FOKUS_TEST_DATABASE_URL."""

import os
import tempfile

os.environ.setdefault("FOKUS_DATA_DIR", tempfile.mkdtemp(prefix="fokus-test-"))

import dj_database_url

from fokus.settings import *  # noqa: F403

if os.environ.get("FOKUS_TEST_LEG") == "postgres":
    DATABASES = {"default": dj_database_url.parse(os.environ["FOKUS_TEST_DATABASE_URL"])}

HUEY = {"huey_class": "huey.MemoryHuey", "name": "fokus-test", "immediate": True}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LANGUAGE_CODE = "da"

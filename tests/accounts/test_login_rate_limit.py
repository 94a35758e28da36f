from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest
from django.core.cache import cache

from fokus.accounts.throttle import _keys
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, password, email="alice@example.com", **extra):
    return client.post("/login/", {"username": email, "password": password}, **extra)


def test_five_wrong_passwords_lock_the_address_even_for_the_right_one(client, alice):
    for _ in range(5):
        assert _login(client, "wrong").status_code == 200

    response = _login(client, PASSWORD, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_clears_the_count_of_failures(client, alice):
    for _ in range(4):
        _login(client, "wrong")
    assert _login(client, PASSWORD).status_code == 302
    client.post("/logout/")

    for _ in range(4):
        _login(client, "wrong")

    assert _login(client, PASSWORD).status_code == 302


def test_the_lock_of_one_address_leaves_other_users_alone(client, alice, bob):
    for _ in range(5):
        _login(client, "wrong")

    assert _login(client, PASSWORD, email="bob@example.com").status_code == 302


def test_one_client_guessing_many_addresses_is_stopped(client, alice, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_CLIENT = 3
    for n in range(3):
        _login(client, "wrong", email=f"nobody{n}@example.com")

    assert _login(client, PASSWORD).status_code == 429


def test_the_lock_ends_when_the_window_has_passed(client, alice, today, time_machine):
    for _ in range(5):
        _login(client, "wrong")
    assert _login(client, PASSWORD).status_code == 429

    time_machine.shift(dt.timedelta(minutes=16))

    assert _login(client, PASSWORD).status_code == 302


@pytest.mark.redis
@pytest.mark.skipif(
    not os.environ.get("FOKUS_TEST_REDIS_URL"), reason="FOKUS_TEST_REDIS_URL is not set"
)
def test_the_count_is_kept_in_redis_when_the_cache_is_redis(client, alice, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["FOKUS_TEST_REDIS_URL"],
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }

    try:
        for _ in range(5):
            _login(client, "wrong")

        assert _login(client, PASSWORD).status_code == 429
    finally:
        cache.delete_many(list(_keys("alice@example.com", "127.0.0.1")))

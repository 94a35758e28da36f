"""Small, strict readers for the environment variables Fokus is configured by.

Every variable read here is listed in ``ENV_VARS`` and documented in the README
(a test checks both). A malformed value stops start-up with a message naming it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

ENV_VARS = (
    "FOKUS_DATA_DIR",
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "FOKUS_DEBUG",
    "EMAIL_URL",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "DEFAULT_FROM_EMAIL",
    "FOKUS_BASE_URL",
    "FOKUS_TIME_ZONE",
    "FOKUS_LANGUAGE",
)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    path = Path(env_str("FOKUS_DATA_DIR") or "var").resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(directory: Path) -> str:
    """The SECRET_KEY from the environment, else one generated once into the data dir."""
    key = env_str("SECRET_KEY")
    if key:
        return key
    key_file = directory / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    # Processes that start together on a new data dir (the web workers and the queue's
    # worker) must agree: the key is written whole to a file of this process, then linked
    # into place, which only the first one can do; the others read the winner's key.
    key = secrets.token_urlsafe(50)
    mine = directory / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(mine, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(mine, key_file)
    except FileExistsError:
        key = key_file.read_text().strip()
    finally:
        mine.unlink(missing_ok=True)
    return key


def email_settings() -> dict[str, object]:
    """Django e-mail settings from EMAIL_URL (smtp://, smtp+tls://, smtps://, console://)
    or the individual EMAIL_* variables. Without either, mail is written to the console."""
    url = env_str("EMAIL_URL")
    if url:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "console":
            return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
        if scheme not in {"smtp", "smtp+tls", "smtps", "smtp+ssl"}:
            raise ImproperlyConfigured(
                f"EMAIL_URL must start with smtp://, smtp+tls://, smtps:// or console://, "
                f"not {parts.scheme}://"
            )
        use_ssl = scheme in {"smtps", "smtp+ssl"}
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or (465 if use_ssl else 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": scheme == "smtp+tls",
            "EMAIL_USE_SSL": use_ssl,
        }
    host = env_str("EMAIL_HOST")
    if not host:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": host,
        "EMAIL_PORT": env_int("EMAIL_PORT", 25),
        "EMAIL_HOST_USER": env_str("EMAIL_HOST_USER"),
        "EMAIL_HOST_PASSWORD": env_str("EMAIL_HOST_PASSWORD"),
        "EMAIL_USE_TLS": env_bool("EMAIL_USE_TLS"),
        "EMAIL_USE_SSL": env_bool("EMAIL_USE_SSL"),
    }

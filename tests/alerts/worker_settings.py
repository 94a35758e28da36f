"""Settings of the worker processes the PostgreSQL test starts: the app's own, with
webhooks to the loopback receiver allowed."""

from fokus.settings import *  # noqa: F403

WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True

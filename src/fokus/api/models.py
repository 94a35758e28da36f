"""Rows of the API: the ``Idempotency-Key`` of each write and the answer it got."""

from __future__ import annotations

from django.db import models

from fokus.accounts.models import Organisation


class IdempotencyKey(models.Model):
    """One ``Idempotency-Key`` of one organisation and the response it produced.

    The row is inserted in the same transaction as the writes of the request, so its
    unique constraint is the claim: a concurrent request with the same key waits for the
    first one's commit and then replays the stored response. Rows older than 24 h are
    ignored and purged.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    status_code = models.PositiveSmallIntegerField()
    response = models.TextField(help_text="the JSON body sent, byte for byte")
    created_at = models.DateTimeField(db_index=True)

    # Passing state: a backup leaves it out.
    backup_exclude = True

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="idempotency_key_per_org")
        ]

"""State changes of the data area: uploaded import files and calendar feeds."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.db.models import F

from fokus.accounts.models import Organisation, User
from fokus.dataio.importing import ImportResult, kind_of, run_import, validate
from fokus.dataio.models import CalendarFeed, ImportJob, ImportStatus
from fokus.dataio.readers import Table, check_size, read_table

KEEP_UPLOADS = dt.timedelta(days=1)
FEED_PREFIX = "cal_"


def import_job_create(
    *,
    organisation: Organisation,
    user: User,
    kind: str,
    filename: str,
    content: bytes,
    now: dt.datetime,
) -> ImportJob:
    """Keep an uploaded file while its columns are mapped; it must be a readable table.
    Uploads older than a day are forgotten."""
    kind_of(kind)
    check_size(len(content))
    read_table(content)
    import_jobs_purge(now=now)
    return ImportJob.objects.create(
        organisation=organisation,
        user=user,
        kind=kind,
        filename=filename[:255],
        content=content,
    )


def import_jobs_purge(*, now: dt.datetime) -> int:
    """Forget uploads older than a day that were never imported; returns how many."""
    deleted, _ = ImportJob.objects.filter(
        status=ImportStatus.UPLOADED, created_at__lt=now - KEEP_UPLOADS
    ).delete()
    return deleted


def import_job_table(job: ImportJob) -> Table:
    return read_table(bytes(job.content))


@transaction.atomic
def import_job_run(
    *,
    job: ImportJob,
    user: User,
    mapping: dict[str, int],
    valid_rows_only: bool,
    now: dt.datetime,
    clock_start: dt.date | None = None,
) -> ImportResult:
    """Import the job's file with the user's column mapping (all rows, or only the valid
    ones when asked); the file is then dropped, the counts kept. ``clock_start``: count
    contact from that day for the customers that know of no contact (the preview's
    "would be overdue from day one")."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    kind = kind_of(job.kind)
    today = job.organisation.local_date(now)
    table = import_job_table(job)
    validation = validate(
        organisation=job.organisation, kind=kind, table=table, today=today, mapping=mapping
    )
    if clock_start is not None:
        validation.records = kind.with_clock_start(validation.records, clock_start)
    result = run_import(
        organisation=job.organisation,
        kind=kind,
        validation=validation,
        today=today,
        now=now,
        user=user,
        valid_rows_only=valid_rows_only,
    )
    job.status = ImportStatus.IMPORTED
    job.created, job.unchanged, job.skipped = result.created, result.unchanged, result.skipped
    job.imported_at = now
    job.content = b""
    job.save()
    return result


def _feed_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(
    *, user: User, organisation: Organisation, now: dt.datetime
) -> tuple[CalendarFeed, str]:
    """A new secret feed URL token for the user (shown once); older feeds are revoked."""
    CalendarFeed.objects.filter(
        user=user, organisation=organisation, revoked_at__isnull=True
    ).update(revoked_at=now)
    raw = FEED_PREFIX + secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        user=user, organisation=organisation, token_hash=_feed_hash(raw), prefix=raw[:12]
    )
    return feed, raw


def calendar_feed_revoke(*, feed: CalendarFeed, now: dt.datetime) -> None:
    CalendarFeed.objects.filter(pk=feed.pk, revoked_at__isnull=True).update(revoked_at=now)


def calendar_feed_authenticate(raw: str, *, now: dt.datetime) -> CalendarFeed | None:
    """The live feed of a secret, while its user is still a member of the organisation."""
    if "\x00" in raw or len(raw) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("user", "organisation")
        .filter(
            token_hash=_feed_hash(raw),
            revoked_at__isnull=True,
            user__is_active=True,
            user__memberships__organisation=F("organisation"),
        )
        .first()
    )
    if feed is not None:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed

"""What the periodic tasks and ``fokus alerts run`` do: scan every organisation as of its
own today, create the digests whose hour has come, send what is due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from fokus.accounts.models import Organisation
from fokus.alerts.delivery import DeliveryRun, deliver_due
from fokus.alerts.digest import digest_due, digests_create
from fokus.alerts.services import SyncResult, alerts_sync


def _organisations(organisation: Organisation | None) -> Iterable[Organisation]:
    if organisation is not None:
        return [organisation]
    return Organisation.objects.order_by("id").iterator()


def _today(organisation: Organisation, now: dt.datetime) -> dt.date:
    return now.astimezone(ZoneInfo(organisation.time_zone)).date()


def scan_all(
    *, now: dt.datetime, as_of: dt.date | None = None, organisation: Organisation | None = None
) -> SyncResult:
    result = SyncResult()
    for org in _organisations(organisation):
        today = as_of or _today(org, now)
        result.add(alerts_sync(organisation=org, today=today, now=now))
    return result


def digests_all(
    *,
    now: dt.datetime,
    as_of: dt.date | None = None,
    force: bool = False,
    organisation: Organisation | None = None,
) -> int:
    """Create today's digests where the organisation's digest hour has come (``force``:
    now, whatever the hour). Once per member and day, however often this runs."""
    created = 0
    for org in _organisations(organisation):
        due = _today(org, now) if force else digest_due(org, now)
        if due is None:
            continue
        created += len(digests_create(organisation=org, today=as_of or due, now=now))
    return created


@dataclass
class RunReport:
    scan: SyncResult = field(default_factory=SyncResult)
    digests: int = 0
    delivery: DeliveryRun = field(default_factory=DeliveryRun)


def run_once(
    *,
    now: dt.datetime,
    as_of: dt.date | None = None,
    organisation: Organisation | None = None,
    digest: bool = False,
    deliver: bool = True,
) -> RunReport:
    """Scan now; create the digests that are due (or, with ``digest``, today's digests
    now); then send what is due."""
    report = RunReport()
    report.scan = scan_all(now=now, as_of=as_of, organisation=organisation)
    report.digests = digests_all(now=now, as_of=as_of, force=digest, organisation=organisation)
    if deliver:
        report.delivery = deliver_due(now=now)
    return report

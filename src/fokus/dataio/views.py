"""Pages of the data area: import with column mapping and preview, export, backup,
API tokens and the calendar feed. Views translate HTTP to services and back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from fokus.accounts.access import editor_required, manager_required, member_required
from fokus.accounts.http import AuthenticatedHttpRequest
from fokus.accounts.models import ApiToken
from fokus.accounts.services import token_create, token_revoke
from fokus.dataio.backup import backup_create, backup_json
from fokus.dataio.calendar import calendar_ics
from fokus.dataio.exporting import csv_bytes, export_tables, xlsx_bytes
from fokus.dataio.forms import ClockStartForm, ExportForm, MappingForm, TokenForm, UploadForm
from fokus.dataio.importing import (
    ImportKind,
    Review,
    Validation,
    auto_mapping,
    kind_of,
    validate,
)
from fokus.dataio.models import CalendarFeed, ImportJob, ImportStatus
from fokus.dataio.parsing import cell_text
from fokus.dataio.readers import Table
from fokus.dataio.services import (
    calendar_feed_authenticate,
    calendar_feed_create,
    calendar_feed_revoke,
    import_job_create,
    import_job_run,
    import_job_table,
)
from fokus.errors import ProductError

PREVIEW_ROWS = 10
SHOWN_PROBLEMS = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@member_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "dataio/index.html",
        {"nav": "data", "export_form": ExportForm(), "upload_form": UploadForm()},
    )


# Import ------------------------------------------------------------------------------


@editor_required
def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    membership = request.membership
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_job_create(
                organisation=membership.organisation,
                user=membership.user,
                kind=form.cleaned_data["kind"],
                filename=upload.name or "",
                content=upload.read(),
                now=timezone.now(),
            )
        except ProductError as error:
            form.add_error("file", error.message)
        else:
            return redirect("dataio:import_review", pk=job.pk)
    return render(request, "dataio/import_upload.html", {"nav": "data", "form": form})


def _job(request: AuthenticatedHttpRequest, pk: int) -> ImportJob:
    membership = request.membership
    job = ImportJob.objects.filter(
        pk=pk, organisation=membership.organisation, user=membership.user
    ).first()
    if job is None:
        raise Http404
    return job


def _mapping_data(request: AuthenticatedHttpRequest, kind: ImportKind, table: Table) -> Any:
    """What the mapping form reads: the request's, or before the user checks a mapping,
    the columns as told by their names."""
    data: Any = request.POST if request.method == "POST" else request.GET
    if request.method != "POST" and "check" not in data:
        data = {f"map_{name}": str(i) for name, i in auto_mapping(kind, table.headers).items()}
    return data


def _import(
    request: AuthenticatedHttpRequest,
    job: ImportJob,
    mapping: dict[str, int],
    clock_start: dt.date | None,
) -> HttpResponse | None:
    """Import the job's rows and go back to its page with the counts; None when the
    import is refused (the reason is a message)."""
    try:
        result = import_job_run(
            job=job,
            user=request.membership.user,
            mapping=mapping,
            valid_rows_only=request.POST.get("valid_rows") == "1",
            now=timezone.now(),
            clock_start=clock_start,
        )
    except ProductError as error:
        messages.error(request, error.message)
        return None
    values = {"created": result.created, "unchanged": result.unchanged}
    imported = ngettext("Imported %(created)s row", "Imported %(created)s rows", result.created)
    unchanged = ngettext(
        "%(unchanged)s was there already",
        "%(unchanged)s were there already",
        result.unchanged,
    )
    messages.success(request, f"{imported % values}; {unchanged % values}.")
    return redirect("dataio:import_review", pk=job.pk)


@editor_required
def import_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Map the columns, see the preview and every problem, then import."""
    job = _job(request, pk)
    if job.status == ImportStatus.IMPORTED:
        return render(request, "dataio/import_done.html", {"nav": "data", "job": job})
    kind = kind_of(job.kind)
    table = import_job_table(job)
    form = MappingForm(_mapping_data(request, kind, table), kind=kind, headers=table.headers)
    context: dict[str, Any] = {"nav": "data", "job": job, "kind": kind, "form": form}
    if not form.is_valid():
        return render(request, "dataio/import_review.html", context)
    mapping = form.mapping()
    try:
        validation = validate(
            organisation=job.organisation,
            kind=kind,
            table=table,
            today=request.today,
            mapping=mapping,
        )
    except ProductError as error:
        form.add_error(None, error.message)
        return render(request, "dataio/import_review.html", context)
    review = kind.review(
        organisation=job.organisation, records=validation.records, today=request.today
    )
    # Rows that would be overdue from day one: the choice of where to count from.
    start_form = None
    if review.overdue:
        start_form = (
            ClockStartForm(request.POST)
            if request.method == "POST"
            else ClockStartForm(initial={"start": ClockStartForm.CLOCK, "start_on": request.today})
        )
    if request.method == "POST" and (start_form is None or start_form.is_valid()):
        clock_start = start_form.clock_start() if start_form is not None else None
        imported = _import(request, job, mapping, clock_start)
        if imported is not None:
            return imported
    notes = sorted(review.notes.items())
    context.update(
        {
            "validation": validation,
            "preview": _preview(kind, table, mapping, validation, review),
            "problems": validation.problems[:SHOWN_PROBLEMS],
            "more_problems": max(0, len(validation.problems) - SHOWN_PROBLEMS),
            "bad_rows": len(validation.bad_rows),
            "columns": kind.columns,
            "notes": notes[:SHOWN_PROBLEMS],
            "more_notes": max(0, len(notes) - SHOWN_PROBLEMS),
            "overdue": review.overdue,
            "start_form": start_form,
        }
    )
    return render(request, "dataio/import_review.html", context)


def _preview(
    kind: ImportKind,
    table: Table,
    mapping: dict[str, int],
    validation: Validation,
    review: Review,
) -> list[dict[str, Any]]:
    """The first rows as they will be read: the values, or the file's text and why not."""
    records = dict(validation.records)
    rows = []
    for number, cells in table.rows[:PREVIEW_ROWS]:
        record = records.get(number)
        raw = [
            cell_text(cells[mapping[c.name]])
            if c.name in mapping and mapping[c.name] < len(cells)
            else ""
            for c in kind.columns
        ]
        rows.append(
            {
                "number": number,
                "cells": kind.describe(record) if record is not None else raw,
                "valid": record is not None,
                "note": review.notes.get(number, ""),
                "problems": [p for p in validation.problems if p.row == number],
            }
        )
    return rows


# Export and backup -------------------------------------------------------------------


@member_required
def export(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = request.organisation
    form = ExportForm(request.GET or None)
    if not form.is_valid():
        return render(
            request,
            "dataio/index.html",
            {"nav": "data", "export_form": form, "upload_form": UploadForm()},
        )
    today = request.today
    tables = export_tables(organisation, as_of=today, names=form.tables())
    stem = f"fokus-{organisation.slug}-{today.isoformat()}"
    if form.cleaned_data["format"] == "xlsx":
        return _download(xlsx_bytes(tables), f"{stem}.xlsx", XLSX)
    data = csv_bytes(tables[0], danish=not form.cleaned_data["english"])
    return _download(data, f"{stem}-{tables[0].name}.csv", "text/csv; charset=utf-8")


@manager_required
@require_POST
def backup(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = request.organisation
    now = timezone.now()
    data = backup_json(backup_create(organisation=organisation, now=now)).encode()
    filename = f"fokus-backup-{organisation.slug}-{now:%Y%m%d-%H%M}.json"
    return _download(data, filename, "application/json")


# API tokens --------------------------------------------------------------------------


@member_required
def tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's API tokens in this organisation: create (shown once), revoke."""
    membership = request.membership
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        _token, created = token_create(
            user=membership.user,
            organisation=membership.organisation,
            name=form.cleaned_data["name"],
        )
        form = TokenForm()
    rows = ApiToken.objects.filter(
        user=membership.user,
        organisation=membership.organisation,
    ).order_by("revoked_at", "-created_at")
    response = render(
        request,
        "dataio/tokens.html",
        {"nav": "data", "form": form, "created": created, "tokens": rows},
    )
    response["Cache-Control"] = "no-store"
    return response


@member_required
@require_POST
def token_revoke_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    membership = request.membership
    token = ApiToken.objects.filter(
        pk=pk,
        user=membership.user,
        organisation=membership.organisation,
    ).first()
    if token is None:
        raise Http404
    token_revoke(token=token, now=timezone.now())
    messages.success(
        request, _("The token %(prefix)s… no longer works.") % {"prefix": token.prefix}
    )
    return redirect("dataio:tokens")


# Calendar feed -----------------------------------------------------------------------


@member_required
def calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    membership = request.membership
    feeds = CalendarFeed.objects.filter(
        user=membership.user,
        organisation=membership.organisation,
        revoked_at__isnull=True,
    )
    url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            for feed in feeds:
                calendar_feed_revoke(feed=feed, now=timezone.now())
            messages.success(request, _("The calendar address no longer works."))
            return redirect("dataio:calendar")
        _feed, raw = calendar_feed_create(
            user=membership.user,
            organisation=membership.organisation,
            now=timezone.now(),
        )
        url = request.build_absolute_uri(reverse("dataio:calendar_feed", args=[raw]))
    response = render(
        request,
        "dataio/calendar.html",
        {"nav": "data", "feed": feeds.first(), "url": url},
    )
    response["Cache-Control"] = "no-store"
    return response


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret feed URL itself (no login: calendar apps cannot log in)."""
    now = timezone.now()
    feed = calendar_feed_authenticate(token, now=now)
    if feed is None:
        raise Http404
    ics = calendar_ics(feed=feed, today=feed.organisation.local_date(now), now=now)
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="fokus.ics"'
    return response

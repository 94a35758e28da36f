"""A full backup of one organisation restores into an empty database with the same
numbers: KPI evaluations, due lists and every row."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from fokus.accounts.models import Membership, Organisation, User
from fokus.accounts.services import token_create
from fokus.customers import advisory
from fokus.customers import services as customer_services
from fokus.customers.selectors import advisory_due_customers, customers_due
from fokus.customers.shapes import due_to_dict
from fokus.dataio.backup import EXCLUDED, backup_create, backup_json, backup_plan, backup_restore
from fokus.dataio.errors import DataError
from fokus.kpis import services as kpi_services
from fokus.kpis.models import CheckIn, Kpi
from fokus.kpis.selectors import kpi_evaluations, kpi_list
from fokus.kpis.shapes import kpi_to_dict

pytestmark = pytest.mark.django_db

AS_OF = [dt.date(2027, 1, 15), dt.date(2027, 3, 31), dt.date(2027, 6, 30), dt.date(2028, 1, 5)]


@pytest.fixture
def organisation_with_everything(org, alice, bob, charlie, other_org, make_kpi, today):
    """KPIs of every measure with check-ins, ticks, milestones and a recurring target;
    customers with contacts, revenue, a snooze and advisory meetings; tokens; and a
    check-in by someone who has left. Charlie's organisation must stay out."""
    d = dt.date
    sales = make_kpi(
        name="Nye kunder",
        focus=True,
        milestones=[(d(2027, 3, 31), Decimal(2)), (d(2027, 6, 30), Decimal(5))],
    )
    for day, value in ((d(2027, 2, 1), 1), (d(2027, 4, 2), 2), (d(2027, 6, 20), Decimal("1.5"))):
        kpi_services.checkin_record(kpi=sales, date=day, value=Decimal(value), user=alice, note="ø")
    rank = make_kpi(
        name="Google", unit="rank", direction="decrease", measure="last",
        baseline=Decimal(20), target=Decimal(3),
    )  # fmt: skip
    kpi_services.checkin_record(kpi=rank, date=d(2027, 3, 1), value=Decimal(12), user=bob)
    average = make_kpi(
        name="Tilfredshed", measure="average", baseline=Decimal(3), target=Decimal("4.5")
    )
    kpi_services.checkin_record(
        kpi=average, date=d(2027, 5, 1), value=Decimal("4.2"), external_id="nps-1"
    )
    checklist = make_kpi(
        name="LinkedIn", measure="checklist", items=["Anna", "Bo", "Carl"], target=None
    )
    kpi_services.checklist_tick(
        kpi=checklist, item=checklist.items.get(name="Bo"), date=d(2027, 4, 1)
    )
    readers = make_kpi(name="Læsere", interval="month", interval_target=Decimal(100), target=None)
    kpi_services.checkin_record(kpi=readers, date=d(2027, 1, 20), value=Decimal(120))
    kpi_services.checkin_record(kpi=readers, date=d(2027, 2, 20), value=Decimal(80))
    kpi_services.kpi_update(kpi=sales, user=alice, target=Decimal(12))
    kpi_services.kpi_archive(kpi=make_kpi(name="Gammel"), user=alice, now=timezone.now())
    kpi_services.checkin_record(
        kpi=make_kpi(organisation=other_org, name="Hemmelig"), date=d(2027, 2, 1), value=Decimal(9)
    )

    acme = customer_services.customer_create(
        organisation=org, name="Bageriet Østerbro", since=d(2025, 5, 1), owner=alice,
        monthly_revenue=Decimal("10000.50"), tags=["bager", "vip"], today=today,
    )  # fmt: skip
    quiet = customer_services.customer_create(
        organisation=org, name="Stille ApS", since=d(2026, 1, 10), today=today
    )
    customer_services.contact_log(
        customer=acme, date=d(2027, 2, 1), note="Opkald", user=bob, today=today, now=timezone.now()
    )
    customer_services.revenue_record(
        customer=acme, date=d(2027, 3, 1), amount=Decimal(25000), today=today
    )
    customer_services.customer_snooze(
        customer=quiet, until=d(2027, 8, 1), reason="Ferie", today=today
    )
    advisory.advisory_hold(
        customer=acme,
        date=d(2027, 5, 2),
        outcome="Godt møde",
        user=alice,
        today=today,
        now=timezone.now(),
    )
    advisory.advisory_book(customer=quiet, date=d(2027, 7, 15), now=timezone.now())
    token_create(user=alice, organisation=org, name="cron")

    leaver = User.objects.create_user("leaver@example.com", "x")
    membership = Membership.objects.create(organisation=org, user=leaver, role="member")
    kpi_services.checkin_record(kpi=sales, date=d(2027, 6, 1), value=Decimal(1), user=leaver)
    membership.delete()
    return org


def _numbers(org):
    kpis = kpi_list(organisation=org)
    result = {}
    for as_of in AS_OF:
        evaluations = kpi_evaluations(organisation=org, kpis=kpis, as_of=as_of)
        result[f"kpis {as_of}"] = [kpi_to_dict(k, evaluations[k.pk]) for k in kpis]
        result[f"due {as_of}"] = [
            due_to_dict(c, d) for c, d in customers_due(organisation=org, as_of=as_of)
        ]
        result[f"advisory {as_of}"] = [
            (c.pk, str(a.state), a.due)
            for c, a in advisory_due_customers(organisation=org, as_of=as_of)
        ]
    return result


def _empty_the_database():
    scoped, _left = backup_plan()
    for s in reversed(scoped):
        s.model._default_manager.all().delete()


def _without_time(backup):
    return {k: v for k, v in backup.items() if k != "created_at"}


def test_a_restored_backup_gives_the_same_numbers_and_the_same_rows(organisation_with_everything):
    org = organisation_with_everything
    before = _numbers(org)
    backup = backup_json(backup_create(organisation=org, now=timezone.now()))

    _empty_the_database()
    counts = backup_restore(backup)

    restored = Organisation.objects.get()
    assert restored.pk == org.pk
    assert _numbers(restored) == before
    assert counts["kpis.checkin"] == 8
    again = backup_create(organisation=restored, now=timezone.now())
    assert _without_time(json.loads(backup_json(again))) == _without_time(json.loads(backup))
    added = CheckIn.objects.create(kpi=Kpi.objects.first(), date=dt.date(2027, 1, 2), value=1)
    assert added.pk > max(CheckIn.objects.exclude(pk=added.pk).values_list("pk", flat=True))


def test_the_backup_holds_only_the_organisations_data(organisation_with_everything, charlie):
    data = json.loads(
        backup_json(backup_create(organisation=organisation_with_everything, now=timezone.now()))
    )

    names = {o["fields"].get("name") for o in data["objects"] if o["model"] == "kpis.kpi"}
    emails = {o["fields"]["email"] for o in data["objects"] if o["model"] == "accounts.user"}
    assert "Hemmelig" not in names and "Gammel" in names
    assert emails == {"alice@example.com", "bob@example.com", "leaver@example.com"}
    assert {o["model"] for o in data["objects"]} >= {
        "accounts.organisation", "accounts.membership", "accounts.apitoken", "kpis.kpi",
        "kpis.milestone", "kpis.checkin", "kpis.checklistitem", "kpis.kpichange",
        "customers.customer", "customers.contact", "customers.revenueentry",
        "customers.advisorymeeting", "customers.tag",
    }  # fmt: skip


def test_every_model_of_the_fokus_apps_is_in_the_backup_or_left_out_on_purpose():
    scoped, left = backup_plan()

    assert {m._meta.label_lower for m in left} <= EXCLUDED | {
        m._meta.label_lower for m in left if getattr(m, "backup_exclude", False)
    }
    assert "kpis.checkin" in {s.model._meta.label_lower for s in scoped}


def test_restore_refuses_a_database_that_is_not_empty(organisation_with_everything):
    backup = backup_json(
        backup_create(organisation=organisation_with_everything, now=timezone.now())
    )

    with pytest.raises(DataError) as error:
        backup_restore(backup)

    assert error.value.code == "restore_not_empty"


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        b'{"format": "other"}',
        b'{"format": "fokus-backup", "version": 99, "objects": []}',
        b'{"format": "fokus-backup", "version": 1, "objects": [{"model": "sessions.session"}]}',
        b'{"format": "fokus-backup", "version": 1, "objects": '
        b'[{"model": "kpis.checkin", "pk": 1, "fields": {"kpi": 999, "date": "x"}}]}',
    ],
)
def test_a_file_that_is_not_a_fokus_backup_is_refused_and_nothing_is_restored(db, raw):
    with pytest.raises(DataError) as error:
        backup_restore(raw)

    assert error.value.code == "backup_invalid"
    assert not CheckIn.objects.exists()


def test_export_json_and_restore_through_the_commands(organisation_with_everything, tmp_path):
    org = organisation_with_everything
    before = _numbers(org)
    path = tmp_path / "backup.json"

    call_command(
        "export", "--format", "json", "--out", str(path), "--org", org.slug, stderr=io.StringIO()
    )
    _empty_the_database()
    out = io.StringIO()
    call_command("restore", str(path), stdout=out)

    objects = json.loads(path.read_text())["objects"]
    kinds = {o["model"] for o in objects}
    assert out.getvalue() == f"Gendannede {len(objects)} rækker af {len(kinds)} typer.\n"
    assert _numbers(Organisation.objects.get()) == before
    assert Kpi.objects.filter(archived_at__isnull=False).count() == 1
    with pytest.raises(CommandError):
        call_command("restore", str(path))

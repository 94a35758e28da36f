"""A KPI follows only a customer of its own organisation: the service refuses another
organisation's customer for every caller (web, CLI, API, import) and saves nothing."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.cache import cache

from fokus.accounts.services import token_create
from fokus.customers.services import customer_create
from fokus.errors import NotFound, refusal
from fokus.kpis.models import Kpi, KpiChange
from fokus.kpis.services import KpiSpec, kpi_create, kpi_update
from tests.helpers import TODAY

pytestmark = pytest.mark.django_db

Y27 = {"name": "Overvågning", "start": dt.date(2027, 1, 1), "end": dt.date(2027, 12, 31)}


def _customer(organisation, name="Bageriet Østerbro"):
    return customer_create(
        organisation=organisation, name=name, since=dt.date(2026, 1, 1), today=TODAY
    )


def test_creating_a_kpi_with_another_organisations_customer_is_refused(org, other_org):
    theirs = _customer(other_org, "Fremmed")

    with pytest.raises(NotFound) as info:
        kpi_create(organisation=org, spec=KpiSpec(**Y27, target=Decimal(5), customer_id=theirs.pk))

    assert info.value.code == "unknown_customer"
    assert info.value.field == "customer"
    assert refusal(info.value).message == f"Der er ingen kunde “{theirs.pk}”."  # Danish by default
    assert not Kpi.objects.exists()


def test_creating_a_kpi_with_a_customer_that_does_not_exist_is_refused(org):
    with pytest.raises(NotFound) as info:
        kpi_create(organisation=org, spec=KpiSpec(**Y27, target=Decimal(5), customer_id=999_999))

    assert (info.value.code, info.value.field) == ("unknown_customer", "customer")
    assert not Kpi.objects.exists()


def test_updating_a_kpi_to_another_organisations_customer_is_refused(org, other_org, make_kpi):
    ours = _customer(org)
    theirs = _customer(other_org, "Fremmed")
    kpi = make_kpi(customer_id=ours.pk)

    with pytest.raises(NotFound) as info:
        kpi_update(kpi=kpi, user=None, name="Omdøbt", target=Decimal(20), customer_id=theirs.pk)

    assert (info.value.code, info.value.field) == ("unknown_customer", "customer")
    kpi.refresh_from_db()
    assert (kpi.name, kpi.target, kpi.customer_id) == ("Nye kunder", Decimal(10), ours.pk)
    assert not KpiChange.objects.filter(kpi=kpi).exists()


def test_a_customer_of_the_same_organisation_is_accepted(org, other_org, make_kpi):
    first, second = _customer(org), _customer(org, "Cykelsmeden")
    _customer(other_org, "Fremmed")

    created = kpi_create(
        organisation=org, spec=KpiSpec(**Y27, target=Decimal(5), customer_id=first.pk)
    )
    assert created.customer_id == first.pk

    kpi = make_kpi()
    kpi_update(kpi=kpi, user=None, customer_id=second.pk)
    kpi.refresh_from_db()
    assert kpi.customer_id == second.pk

    kpi_update(kpi=kpi, user=None, customer_id=None)
    kpi.refresh_from_db()
    assert kpi.customer_id is None


def test_the_api_still_answers_with_the_customer_field_when_patching(
    client, alice, org, other_org, make_kpi
):
    cache.clear()  # a fresh rate-limit window
    token = token_create(user=alice, organisation=org)[1]
    theirs = _customer(other_org, "Fremmed")
    kpi = make_kpi()

    response = client.patch(
        f"/api/v1/kpis/{kpi.pk}",
        data=json.dumps({"customer": theirs.pk}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )

    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    [error] = response.json()["errors"]
    assert (error["field"], error["code"]) == ("customer", "unknown_customer")
    kpi.refresh_from_db()
    assert kpi.customer_id is None

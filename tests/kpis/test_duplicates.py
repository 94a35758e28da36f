"""A KPI of the same name and period as another asks first: the KPI form warns, naming
the existing KPI with a link, and creates only once confirmed; the API refuses with 422
``kpi_exists`` (field ``name``) unless ``allow_duplicate`` is true; ``fokus kpi add``
unless ``--allow-duplicate``."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from fokus.kpis.errors import KpiError
from fokus.kpis.models import Kpi
from fokus.kpis.services import KpiSpec, kpi_archive, kpi_create
from tests.kpis.test_wizard import _data

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def existing(make_kpi):
    return make_kpi(name="Nye kunder")  # 10 in 2027


def test_the_service_refuses_a_second_kpi_of_one_name_and_period_when_asked(org, existing):
    spec = KpiSpec(
        name=" nye  KUNDER", start=dt.date(2027, 1, 1), end=dt.date(2027, 12, 31), target=5
    )
    with pytest.raises(KpiError) as refused:
        kpi_create(organisation=org, spec=spec, allow_duplicate=False)

    assert (refused.value.code, refused.value.field) == ("kpi_exists", "name")
    assert refused.value.params["id"] == existing.pk
    other = KpiSpec(
        name="Nye kunder", start=dt.date(2027, 1, 1), end=dt.date(2027, 3, 31), target=5
    )
    assert kpi_create(organisation=org, spec=other, allow_duplicate=False).pk
    kpi_archive(kpi=existing, user=None, now=timezone.now())
    assert kpi_create(organisation=org, spec=spec, allow_duplicate=False).pk


def test_the_form_warns_with_a_link_and_creates_only_once_confirmed(alice_client, existing):
    response = alice_client.post(reverse("kpi_new"), _data(), **EN)

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert Kpi.objects.count() == 1
    assert 'id="kpi-exists"' in page and "A KPI like this one exists already" in page
    assert f'href="{reverse("kpi_detail", args=[existing.pk])}">Nye kunder</a>' in page
    assert 'name="action" value="save_duplicate"' in page

    confirmed = alice_client.post(reverse("kpi_new"), _data(action="save_duplicate"))
    assert confirmed.status_code == 302
    assert Kpi.objects.filter(name="Nye kunder").count() == 2


def test_the_form_also_asks_for_a_template_kpi_that_exists_in_the_time(alice_client, make_kpi):
    quarter = make_kpi(name="Køber (2027-K4)", kind="new-customers", start=dt.date(2027, 10, 1))
    response = alice_client.post(reverse("kpi_new"), _data(template="new-customers"))

    assert response.status_code == 200 and Kpi.objects.count() == 1
    assert f'href="{reverse("kpi_detail", args=[quarter.pk])}"' in response.content.decode()


def test_another_name_or_period_is_created_at_once(alice_client, existing):
    assert alice_client.post(reverse("kpi_new"), _data(name="Nye kunder i K1")).status_code == 302
    assert alice_client.post(reverse("kpi_new"), _data(period="2028")).status_code == 302


def test_the_api_refuses_a_duplicate_with_a_422_naming_the_field(alice_api, existing):
    body = {"name": "Nye kunder", "period": "2027", "target": 10}

    refused = alice_api.post("/kpis", body, headers={"Accept-Language": "en"})

    assert refused.status_code == 422
    problem = refused.json()
    [error] = problem["errors"]
    assert (error["field"], error["code"]) == ("name", "kpi_exists")
    assert "Nye kunder" in error["message"] and str(existing.pk) in error["message"]
    assert Kpi.objects.count() == 1
    allowed = alice_api.post("/kpis", {**body, "allow_duplicate": True})
    assert allowed.status_code == 201
    assert Kpi.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_cli_refuses_a_duplicate_in_one_line(existing, capsys, settings):
    from fokus.cli import main

    settings.LANGUAGE_CODE = "en"
    args = ["kpi", "add", "--name", "Nye kunder", "--period", "2027", "--target", "10"]
    with pytest.raises(SystemExit) as failed:
        main(args)
    err = capsys.readouterr().err

    assert failed.value.code == 1
    assert err.count("\n") == 1 and "Nye kunder" in err
    main([*args, "--allow-duplicate"])
    assert Kpi.objects.filter(name="Nye kunder").count() == 2

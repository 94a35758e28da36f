"""The preview of a customers import: it flags the customers of the file that are there
already (the same name, case and spaces aside, or CVR number: left alone) or twice in
the file, says how many new customers would be overdue from day one and offers to count
their contact from a day (today by default), applied to the rows that know of no
contact; or to keep them overdue. The CLI import does not ask."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from fokus.customers.models import Contact, Customer
from fokus.dataio.importing import kind_of, validate
from fokus.dataio.models import ImportJob
from fokus.dataio.readers import read_table
from tests.helpers import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]

# Two old customers without any known contact, one with a last contact, one with a clock
# start, one new this month, one prospect and one the register has already.
REGISTER = (
    "navn;kunde_siden;status;cvr;seneste_kontakt;tæl_fra\n"
    "Gammel Kunde ApS;01-03-2024;aktiv;11111111;;\n"
    "Anden Gammel A/S;15-08-2023;aktiv;;;\n"
    "Kendt Kontakt;01-03-2024;aktiv;;20-06-2027;\n"
    "Eget Ur;01-03-2024;aktiv;;;01-06-2027\n"
    "Helt Ny;20-06-2027;aktiv;;;\n"
    "Måske Senere;01-03-2024;emne;;;\n"
    "hansen   VVS;01-03-2024;aktiv;;;\n"
)


@pytest.fixture
def hansen(make_customer):
    return make_customer(name="Hansen VVS", since=dt.date(2027, 6, 1), cvr="22222222")


def _job_url(client, text: str) -> str:
    response = client.post(
        "/data/import/",
        {"kind": "customers", "file": SimpleUploadedFile("kunder.csv", text.encode("utf-8"))},
    )
    assert response.status_code == 302
    return response.url


def _mapping(url: str) -> dict[str, str]:
    job = ImportJob.objects.get(pk=int(url.rstrip("/").rsplit("/", 1)[1]))
    table = read_table(bytes(job.content))
    kind = kind_of("customers")
    return {
        f"map_{c.name}": str(i)
        for c in kind.columns
        for i, h in enumerate(table.headers)
        if c.matches(h)
    }


def test_the_preview_says_how_many_would_be_overdue_from_day_one(alice_client, hansen):
    url = _job_url(alice_client, REGISTER)

    page = alice_client.get(url).content.decode()
    english = alice_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "2 kunder ville være forfaldne fra første dag" in page
    assert "2 customers would be overdue from day one" in english
    assert 'name="start" value="clock"' in english and 'value="2027-06-30"' in english
    assert not Customer.objects.exclude(pk=hansen.pk).exists()


def test_the_preview_flags_a_customer_the_register_has_already(alice_client, hansen):
    page = alice_client.get(_job_url(alice_client, REGISTER), HTTP_ACCEPT_LANGUAGE="en")

    content = page.content.decode()
    assert (
        "1 row is a customer you have already (the same name or CVR number); it is left as it is."
    ) in content
    assert "<td>8</td><td>Already a customer (Hansen VVS): left as it is</td>" in content


def test_a_cvr_number_the_register_has_is_flagged_too(alice_client, hansen):
    text = "navn;kunde_siden;cvr\nHansen og Søn;20-06-2027;2222 2222\n"

    content = alice_client.get(
        _job_url(alice_client, text), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert "Already a customer (Hansen VVS): left as it is" in content


def test_importing_with_the_clock_started_calms_only_the_rows_without_a_known_contact(
    alice_client, hansen
):
    url = _job_url(alice_client, REGISTER)

    response = alice_client.post(url, {**_mapping(url), "start": "clock", "start_on": "2027-06-30"})

    assert response.status_code == 302
    clock = dict(Customer.objects.values_list("name", "clock_start"))
    assert clock == {
        "Hansen VVS": None,  # there already: left alone
        "Gammel Kunde ApS": TODAY,
        "Anden Gammel A/S": TODAY,
        "Kendt Kontakt": None,  # its last contact is a contact
        "Eget Ur": dt.date(2027, 6, 1),  # its own clock start
        "Helt Ny": TODAY,
        "Måske Senere": TODAY,
    }
    assert Customer.objects.filter(contact_due_on__lte=TODAY, status="active").count() == 0
    assert Contact.objects.count() == 1  # a clock start is no contact


def test_keeping_them_overdue_imports_the_file_as_it_is(alice_client, hansen):
    url = _job_url(alice_client, REGISTER)

    alice_client.post(url, {**_mapping(url), "start": "overdue", "start_on": ""})

    overdue = Customer.objects.filter(contact_due_on__lte=TODAY, status="active")
    assert sorted(overdue.values_list("name", flat=True)) == [
        "Anden Gammel A/S",
        "Gammel Kunde ApS",
    ]
    assert not Customer.objects.exclude(clock_start=None).exclude(name="Eget Ur").exists()


def test_counting_from_a_day_needs_the_day_and_imports_nothing_without_it(alice_client):
    url = _job_url(alice_client, REGISTER)

    response = alice_client.post(
        url, {**_mapping(url), "start": "clock", "start_on": ""}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert "Give the day to count contact from." in response.content.decode()
    assert not Customer.objects.exists()


def test_a_file_without_customers_overdue_from_day_one_does_not_ask(alice_client):
    url = _job_url(alice_client, "navn;kunde_siden\nHelt Ny;20-06-2027\n")

    page = alice_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    imported = alice_client.post(url, _mapping(url))

    assert "overdue from day one" not in page and 'name="start"' not in page
    assert imported.status_code == 302 and Customer.objects.get().clock_start is None


def test_a_customer_twice_in_the_file_by_name_or_cvr_number_is_a_problem(org):
    text = (
        "navn;kunde_siden;cvr\n"
        "Bageriet;01-01-2027;33333333\n"
        "BAGERIET ;01-01-2027;\n"
        "Andet Navn;01-01-2027;3333 3333\n"
    )

    validation = validate(
        organisation=org, kind=kind_of("customers"), table=read_table(text.encode()), today=TODAY
    )

    assert [(p.row, p.column, p.code) for p in validation.problems] == [
        (3, "navn", "duplicate_in_file"),
        (4, "cvr", "duplicate_in_file"),
    ]


def test_the_cli_import_does_not_ask(org, tmp_path):
    path = tmp_path / "kunder.csv"
    path.write_text(REGISTER, encoding="utf-8")

    with override_settings(LANGUAGE_CODE="en"), translation.override("en"):
        call_command("import", str(path), "--kind", "customers", stdout=io.StringIO())

    assert Customer.objects.get(name="Gammel Kunde ApS").clock_start is None
    assert Customer.objects.filter(contact_due_on__lte=TODAY, status="active").count() == 3

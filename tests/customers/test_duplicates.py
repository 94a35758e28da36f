"""A customer that may be there already: the same name (case and spaces aside) or CVR
number as another customer of the organisation. The form warns, names the customer and
asks to confirm ("Add anyway"); the API refuses with 409 ``customer_exists`` unless
``allow_duplicate`` is sent; the CLI and the import keep their own rules."""

from __future__ import annotations

import datetime as dt

import pytest

from fokus.customers.errors import CustomerError
from fokus.customers.models import Customer
from fokus.customers.selectors import customer_duplicates
from fokus.customers.services import customer_create, customer_update
from tests.helpers import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]

PROBLEM = "application/problem+json"


def _form(**fields) -> dict[str, str]:
    data = {
        "name": "Hansen VVS",
        "status": "active",
        "since": "2027-06-01",
        "interval_months": "3",
    }
    data.update(fields)
    return data


@pytest.fixture
def hansen(make_customer):
    return make_customer(name="Hansen VVS", since=dt.date(2027, 6, 1), cvr="12345678")


@pytest.mark.parametrize(
    ("name", "cvr"),
    [("hansen   vvs", ""), ("  HANSEN VVS ", ""), ("Helt andet navn", "1234 5678")],
)
def test_the_same_name_case_and_spaces_aside_or_the_same_cvr_number_is_a_duplicate(
    org, hansen, name, cvr
):
    assert customer_duplicates(organisation=org, name=name, cvr=cvr) == [hansen]


def test_danish_letters_are_compared_without_case(org, make_customer):
    østerbro = make_customer(name="Bageriet Østerbro")

    assert customer_duplicates(organisation=org, name="BAGERIET østerbro") == [østerbro]


def test_another_organisations_customer_is_no_duplicate(other_org, hansen):
    assert customer_duplicates(organisation=other_org, name="Hansen VVS", cvr="12345678") == []


def test_the_form_warns_names_the_customer_there_and_saves_nothing(alice_client, hansen):
    response = alice_client.post(
        "/customers/new/", _form(name="hansen vvs", email="ny@hansen.dk"), HTTP_ACCEPT_LANGUAGE="en"
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Another customer has the same name or CVR number:" in content
    assert f'<a href="/customers/{hansen.pk}/">Hansen VVS</a> · CVR number 12345678' in content
    assert "Add anyway" in content
    assert f'<input type="hidden" name="allow_duplicate" value="{hansen.pk}">' in content
    # Nothing typed is lost.
    assert 'value="hansen vvs"' in content and 'value="ny@hansen.dk"' in content
    assert Customer.objects.count() == 1


def test_add_anyway_adds_the_customer_beside_the_one_there(alice_client, hansen):
    response = alice_client.post(
        "/customers/new/", _form(name="hansen vvs", allow_duplicate=str(hansen.pk))
    )

    assert response.status_code == 302
    assert sorted(Customer.objects.values_list("name", flat=True)) == ["Hansen VVS", "hansen vvs"]


def test_a_confirmation_of_one_customer_does_not_let_another_through(
    alice_client, hansen, make_customer
):
    other = make_customer(name="Jensen El", cvr="87654321")

    response = alice_client.post(
        "/customers/new/",
        _form(name="Jensen El", allow_duplicate=str(hansen.pk)),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    content = response.content.decode()
    assert response.status_code == 200 and f'href="/customers/{other.pk}/">Jensen El</a>' in content
    assert Customer.objects.count() == 2


def test_editing_to_another_customers_cvr_number_warns(alice_client, hansen, make_customer):
    jensen = make_customer(name="Jensen El", since=dt.date(2027, 6, 1))
    data = _form(name="Jensen El", cvr="12345678")

    warned = alice_client.post(f"/customers/{jensen.pk}/edit/", data, HTTP_ACCEPT_LANGUAGE="en")

    assert warned.status_code == 200 and "Save anyway" in warned.content.decode()
    jensen.refresh_from_db()
    assert jensen.cvr == ""
    saved = alice_client.post(
        f"/customers/{jensen.pk}/edit/", {**data, "allow_duplicate": str(hansen.pk)}
    )
    assert saved.status_code == 302
    jensen.refresh_from_db()
    assert jensen.cvr == "12345678"


def test_editing_a_customer_that_already_shares_a_name_warns_only_when_the_name_changes(
    alice_client, hansen, make_customer
):
    twin = make_customer(name="Hansen VVS", since=dt.date(2027, 6, 1))

    kept = alice_client.post(f"/customers/{twin.pk}/edit/", _form(phone="12 34 56 78"))

    assert kept.status_code == 302
    twin.refresh_from_db()
    assert twin.phone == "12 34 56 78"


def test_the_service_refuses_a_duplicate_only_when_told_to(org, hansen):
    with pytest.raises(CustomerError) as refused:
        customer_create(
            organisation=org, name="HANSEN vvs", since=TODAY, allow_duplicate=False, today=TODAY
        )
    assert (refused.value.code, refused.value.field, refused.value.status) == (
        "customer_exists",
        "name",
        409,
    )
    customer_create(organisation=org, name="HANSEN vvs", since=TODAY, today=TODAY)
    assert Customer.objects.count() == 2


def test_the_service_names_the_cvr_number_when_only_that_is_the_same(org, hansen):
    other = customer_create(organisation=org, name="Andet ApS", since=TODAY, today=TODAY)

    with pytest.raises(CustomerError) as refused:
        customer_update(customer=other, cvr="12345678", allow_duplicate=False, today=TODAY)

    assert refused.value.field == "cvr"
    assert refused.value.params == {"name": "Hansen VVS", "id": hansen.pk}


def test_the_api_refuses_a_duplicate_with_409_customer_exists(alice_api, hansen):
    response = alice_api.post(
        "/customers", {"name": "hansen  VVS"}, headers={"Accept-Language": "en"}
    )

    assert response.status_code == 409 and response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["errors"] == [
        {
            "field": "name",
            "code": "customer_exists",
            "message": "There is already a customer with this name or CVR number: "
            f"“Hansen VVS” (id {hansen.pk}).",
        }
    ]
    assert Customer.objects.count() == 1


def test_the_api_adds_a_duplicate_with_allow_duplicate(alice_api, hansen):
    response = alice_api.post("/customers", {"name": "Hansen VVS", "allow_duplicate": True})

    assert response.status_code == 201
    assert Customer.objects.filter(name="Hansen VVS").count() == 2


def test_the_api_refuses_a_patch_to_another_customers_cvr_number(alice_api, hansen, make_customer):
    other = make_customer(name="Andet ApS")

    refused = alice_api.patch(f"/customers/{other.pk}", {"cvr": "1234-5678"})
    allowed = alice_api.patch(
        f"/customers/{other.pk}", {"cvr": "1234-5678", "allow_duplicate": True}
    )

    assert refused.status_code == 409 and refused.json()["errors"][0]["field"] == "cvr"
    assert allowed.status_code == 200 and allowed.json()["cvr"] == "12345678"


def test_the_api_documents_the_conflict(alice_api):
    schema = alice_api.get("/openapi.json").json()

    assert "409" in schema["paths"]["/api/v1/customers"]["post"]["responses"]
    fields = schema["components"]["schemas"]["CustomerIn"]["properties"]
    assert fields["allow_duplicate"]["default"] is False

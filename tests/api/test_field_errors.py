"""A request with a field of the wrong type or form is told what is wrong with each field
in the user's language (Danish unless the client asks for English), not in pydantic's
English."""

from __future__ import annotations

import pytest
from django.utils import translation
from pydantic import BaseModel, Field, ValidationError

from fokus.api.field_errors import field_message


def _messages(response) -> dict[str, str]:
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    return {e["field"]: e["message"] for e in response.json()["errors"]}


BAD_BULK = {
    "checkins": [
        {"kpi": 1, "date": "31-12-2027", "value": 1},
        {"kpi": 1, "date": "2027-12-31", "value": "mange"},
        {"kpi": 1, "value": 1},
        {"kpi": 1, "date": "2027-12-31T10:30:00", "value": 1},
    ]
}


def test_bad_fields_are_explained_in_danish(alice_api, today):
    messages = _messages(alice_api.post("/checkins/bulk", BAD_BULK))

    assert messages == {
        "checkins.0.date": "Skal være en dato som ÅÅÅÅ-MM-DD, fx 2027-12-31.",
        "checkins.1.value": "Skal være et tal, fx 1234.5.",
        "checkins.2.date": "Feltet skal angives.",
        "checkins.3.date": "Skal være en dato uden klokkeslæt, fx 2027-12-31.",
    }


def test_bad_fields_are_explained_in_english_when_asked(alice_api, today):
    response = alice_api.post("/checkins/bulk", BAD_BULK, headers={"Accept-Language": "en"})

    assert _messages(response)["checkins.0.date"] == (
        "Must be a date as YYYY-MM-DD, such as 2027-12-31."
    )
    assert _messages(response)["checkins.2.date"] == "This field is required."


def test_a_wrong_choice_lists_the_allowed_ones(alice_api, today):
    body = {"name": "Omsætning", "period": "2027", "target": 10, "unit": "kroner"}

    messages = _messages(alice_api.post("/kpis", body))

    assert messages["unit"] == (
        "Skal være en af: 'count', 'currency', 'percent', 'rank', 'number'."
    )


def test_a_list_where_none_belongs_and_a_text_where_a_number_belongs(alice_api, today):
    body = {"name": ["Omsætning"], "period": "2027", "target": 10, "focus": "måske"}

    messages = _messages(alice_api.post("/kpis", body))

    assert messages["name"] == "Skal være en tekst."
    assert messages["focus"] == "Skal være true eller false."


class _Limits(BaseModel):
    code: str = Field(max_length=3)
    tags: list[str] = Field(min_length=2)
    amount: int = Field(ge=1)
    share: float = Field(lt=0.75)


@pytest.mark.parametrize(
    ("data", "field", "danish", "english"),
    [
        ({"code": "ABCD"}, "code", "Højst 3 tegn.", "At most 3 characters."),
        ({"tags": ["a"]}, "tags", "Mindst 2 elementer.", "At least 2 items."),
        ({"amount": 0}, "amount", "Skal være mindst 1.", "Must be at least 1."),
        ({"share": 0.9}, "share", "Skal være mindre end 0.75.", "Must be less than 0.75."),
        ({"amount": 1.5}, "amount", "Skal være et helt tal.", "Must be a whole number."),
    ],
)
def test_limits_are_said_with_their_number(data, field, danish, english):
    complete = {"code": "A", "tags": ["a", "b"], "amount": 1, "share": 0.5, **data}
    with pytest.raises(ValidationError) as raised:
        _Limits.model_validate(complete)
    (error,) = [e for e in raised.value.errors() if e["loc"] == (field,)]

    with translation.override("da"):
        assert field_message(error) == danish
    with translation.override("en"):
        assert field_message(error) == english


def test_an_error_of_an_unknown_kind_keeps_pydantics_words():
    error = {"type": "url_parsing", "msg": "Input should be a valid URL", "ctx": {}}

    assert field_message(error) == "Input should be a valid URL"


def test_a_method_a_path_does_not_take_is_a_problem_with_allow(alice_api, make_kpi, today):
    kpi = make_kpi()

    response = alice_api.client.put(
        f"/api/v1/kpis/{kpi.pk}",
        data="{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {alice_api.token}",
    )

    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "PATCH", "DELETE"}
    assert response.json()["title"] == "Method Not Allowed"
    assert response.json()["detail"] == (
        f"Denne adresse tager ikke imod PUT, kun {response['Allow']}."
    )


def test_a_body_that_is_not_json_is_a_bad_request_problem(alice_api, today):
    response = alice_api.post("/checkins/bulk", '{"checkins": [')

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Bad Request"

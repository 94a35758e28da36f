from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_lists_every_kpi_and_checkin_operation(client):
    schema = client.get("/api/v1/openapi.json").json()

    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/kpis"])
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/kpis/{ref}"])
    assert {"get", "post"} <= set(paths["/api/v1/kpis/{ref}/checkins"])
    assert "post" in paths["/api/v1/checkins/bulk"]
    bulk = paths["/api/v1/checkins/bulk"]["post"]["responses"]
    assert "application/problem+json" in bulk["422"]["content"]
    assert "429" in bulk and "401" in bulk
    assert schema["components"]["securitySchemes"] == {
        "TokenAuth": {"type": "http", "scheme": "bearer"}
    }


def test_the_docs_page_loads_its_scripts_from_the_app_not_a_cdn(client):
    response = client.get("/api/v1/docs")

    page = response.content.decode()
    assert response.status_code == 200
    assert "swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()


def test_the_swagger_files_are_served_by_the_app(client):
    page = client.get("/api/v1/docs").content.decode()
    script = page.split('<script src="')[1].split('"')[0]

    response = client.get(script)
    body = b"".join(response.streaming_content)
    response.close()

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript"
    assert b"SwaggerUIBundle" in body
    assert client.get("/api/v1/docs/assets/settings.py").status_code == 404


def test_the_schema_is_valid_json_without_duplicated_keys(client):
    def no_duplicates(pairs):
        keys = [k for k, _v in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=no_duplicates)

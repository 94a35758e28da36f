from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

# Closing a response sends request_finished, which checks the database connection.
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "ui/vendor/plotly-4.1.1.min.js",
        "django_htmx/htmx-2.min.js",
        "ui/fokus.css",
        "ui/favicon.svg",
    ],
)
def test_static_file_is_served(client, path):
    response = client.get(f"/static/{path}")

    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    response.close()
    assert body == Path(finders.find(path)).read_bytes()


def test_plotly_is_served_as_javascript(client):
    response = client.get("/static/ui/vendor/plotly-4.1.1.min.js")

    assert response["Content-Type"] == 'text/javascript; charset="utf-8"'
    response.close()

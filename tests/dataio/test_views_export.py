from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from fokus.kpis.services import checkin_record

pytestmark = pytest.mark.django_db


def test_a_member_downloads_an_excel_workbook(client, bob, kpi, today):
    checkin_record(kpi=kpi, date=dt.date(2027, 2, 1), value=Decimal(3))
    client.force_login(bob)

    response = client.get("/data/export/", {"format": "xlsx", "table": "all"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.worksheets[1]["C2"].value == 3


def test_a_viewer_downloads_a_csv_table(vera_client, kpi, today):
    response = vera_client.get("/data/export/", {"format": "csv", "table": "kpis"})

    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbfid;slug;name")


def test_csv_of_everything_asks_for_one_table(alice_client, today):
    response = alice_client.get(
        "/data/export/", {"format": "csv", "table": "all"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert "A CSV file holds one table" in response.content.decode()


def test_an_owner_downloads_the_backup_and_a_member_may_not(client, alice, bob, kpi, today):
    client.force_login(bob)
    assert client.post("/data/backup/").status_code == 403

    client.force_login(alice)
    response = client.post("/data/backup/")

    assert response.status_code == 200
    backup = json.loads(response.content)
    assert backup["format"] == "fokus-backup"
    assert backup["organisation"]["slug"] == kpi.organisation.slug


def test_the_data_page_shows_what_the_role_may_do(client, vera, alice, today):
    client.force_login(vera)
    viewer = client.get("/data/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.force_login(alice)
    owner = client.get("/data/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Import a file" not in viewer and "Download a backup" not in viewer
    assert "Import a file" in owner and "Download a backup" in owner

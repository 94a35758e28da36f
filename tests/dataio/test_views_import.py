from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fokus.dataio.models import ImportJob
from fokus.dataio.tasks import purge_data_leftovers
from fokus.kpis.models import CheckIn

pytestmark = pytest.mark.django_db

GOOD = "kpi;dato;værdi;note\nnye-kunder;01-02-2027;1,5;første\nnye-kunder;02-02-2027;2;\n"
MIXED = GOOD + "nye-kunder;32-02-2027;1;\n"


def _upload(client, text, name="kpi.csv", kind="checkins"):
    return client.post(
        "/data/import/",
        {"kind": kind, "file": SimpleUploadedFile(name, text.encode("cp1252"))},
    )


def test_uploading_a_file_leads_to_the_mapping_and_preview(alice_client, kpi):
    response = _upload(alice_client, GOOD)

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == f"/data/import/{job.pk}/"
    page = alice_client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "All 2 rows are valid." in page
    assert "første" in page
    assert 'name="map_date"' in page
    assert not CheckIn.objects.exists()


def test_importing_after_the_preview_stores_the_rows_and_shows_the_counts(alice_client, alice, kpi):
    job_url = _upload(alice_client, GOOD).url

    response = alice_client.post(
        job_url, {"map_kpi": "0", "map_date": "1", "map_value": "2", "map_note": "3"}
    )

    assert response.status_code == 302
    assert CheckIn.objects.filter(created_by=alice, source="import").count() == 2
    done = alice_client.get(job_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Import done" in done
    assert ImportJob.objects.get().content == b""


def test_every_problem_is_shown_and_only_an_explicit_choice_imports_the_valid_rows(
    alice_client, kpi
):
    job_url = _upload(alice_client, MIXED).url
    mapping = {"map_kpi": "0", "map_date": "1", "map_value": "2"}

    page = alice_client.get(job_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    refused = alice_client.post(job_url, mapping)
    assert "1 of 3 rows has problems. Fix it in the file" in page
    assert "32-02-2027" in page
    assert refused.status_code == 200 and not CheckIn.objects.exists()

    alice_client.post(job_url, {**mapping, "valid_rows": "1"})

    assert CheckIn.objects.count() == 2


def test_the_user_maps_columns_with_other_names(alice_client, kpi):
    job_url = _upload(alice_client, "hvad;hvornår;hvor meget\nnye-kunder;01-02-2027;3\n").url

    unmapped = alice_client.get(job_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    mapped = alice_client.get(
        job_url, {"check": "1", "map_kpi": "0", "map_date": "1", "map_value": "2"},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()  # fmt: skip

    assert "This field is required" in unmapped
    assert "The row is valid." in mapped


def test_a_file_that_is_not_a_table_is_refused_at_upload(alice_client, kpi):
    response = alice_client.post(
        "/data/import/",
        {"kind": "checkins", "file": SimpleUploadedFile("x.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 64)},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert ".xlsx or CSV" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_viewer_cannot_import(vera_client, today):
    assert vera_client.get("/data/import/").status_code == 403


def test_someone_elses_upload_is_not_found(alice_client, client, bob, kpi):
    job_url = _upload(alice_client, GOOD).url
    client.force_login(bob)

    assert client.get(job_url).status_code == 404
    assert (
        client.post(job_url, {"map_kpi": "0", "map_date": "1", "map_value": "2"}).status_code == 404
    )


def test_the_review_page_takes_a_constant_number_of_queries(
    alice_client, kpi, django_assert_max_num_queries
):
    small = _upload(alice_client, GOOD).url
    rows = "".join(f"nye-kunder;0{1 + i % 9}-02-2027;{i};\n" for i in range(30))
    large = _upload(alice_client, "kpi;dato;værdi;note\n" + rows).url

    with django_assert_max_num_queries(12) as few:
        alice_client.get(small)
    with django_assert_max_num_queries(len(few.captured_queries)):
        alice_client.get(large)


def test_unfinished_uploads_are_forgotten_after_a_day(alice_client, kpi, time_machine):
    _upload(alice_client, GOOD)
    time_machine.shift(dt.timedelta(hours=25))

    purge_data_leftovers.call_local()

    assert not ImportJob.objects.exists()

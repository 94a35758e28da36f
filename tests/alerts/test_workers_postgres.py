"""Two worker processes scan and deliver the same due customers at the same time on
PostgreSQL: each alert is raised once and each delivery is sent once."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from fokus.alerts.models import Alert, Delivery, DeliveryState, WebhookEndpoint

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    os.environ.get("FOKUS_TEST_LEG") != "postgres",
    reason="runs on the PostgreSQL leg (FOKUS_TEST_LEG=postgres)",
)


def database_url() -> str:
    s = connection.settings_dict
    user = quote(s["USER"] or "", safe="")
    password = quote(s["PASSWORD"] or "", safe="")
    return (
        f"postgres://{user}:{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
        f"/{quote(s['NAME'], safe='')}"
    )


def test_two_workers_raise_and_send_each_alert_and_delivery_exactly_once(
    transactional_db, org, make_customer, alice, bob, smtp_server, webhook_receiver, tmp_path
):
    for n in range(40):
        make_customer(name=f"Kunde {n:02d}")
    WebhookEndpoint.objects.create(organisation=org, url=webhook_receiver.url)
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "SECRET_KEY"}}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.alerts.worker_settings",
        DATABASE_URL=database_url(),
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}",
        FOKUS_DATA_DIR=str(tmp_path),
        FOKUS_LANGUAGE="en",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]),
    )
    command = [sys.executable, "-m", "fokus", "alerts", "run", "--as-of", "2027-06-30", "--digest"]

    workers = [
        subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=120) for worker in workers]

    for worker, (_out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err.decode()
    raised = [int(re.search(rb"Raised (\d+) alerts?,", out).group(1)) for out, _err in outputs]
    assert sum(raised) == 40
    assert Alert.objects.count() == 40
    assert Alert.objects.values("subject_key").distinct().count() == 40
    deliveries = Delivery.objects.all()
    assert deliveries.count() == 40 + 40 + 2  # in-app and webhook per alert, two digests
    assert set(deliveries.values_list("state", flat=True)) == {DeliveryState.SENT}
    assert set(deliveries.values_list("attempts", flat=True)) == {1}
    event_ids = [r.headers["X-Fokus-Event-Id"] for r in webhook_receiver.requests]
    assert len(event_ids) == 40 and len(set(event_ids)) == 40
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "alice@example.com",
        "bob@example.com",
    ]

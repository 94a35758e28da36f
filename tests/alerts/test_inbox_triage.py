"""The inbox triages: alerts grouped by kind (customers to contact, advisory meetings,
monitors, KPIs), each group with its count and most urgent first; filters by kind and
state as a plain GET form; ticked alerts acknowledged or snoozed in one POST (at most
100, editors only, CSRF) whose answer says how many changed; "select all in this group";
a constant number of queries whatever the number of alerts; before the first scan the
inbox says so and offers to run it."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from django.test import Client

from fokus.alerts.models import Alert, AlertKind, AlertState, ScanRun
from fokus.alerts.services import BULK_LIMIT, alerts_sync
from tests.helpers import NOW, TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]

HTMX = {"HTTP_HX_REQUEST": "true"}
_numbers = itertools.count(1)


def _raise(org, kind, *, customer=None, kpi=None, raised_on=TODAY, **data):
    """An open alert as a scan raises it (the scan's own conditions are tested elsewhere)."""
    return Alert.objects.create(
        organisation=org,
        kind=kind,
        subject_key=f"test:{next(_numbers)}",
        customer=customer,
        kpi=kpi,
        data={"name": (customer or kpi).name if (customer or kpi) else "", **data},
        raised_on=raised_on,
        raised_at=NOW,
    )


@pytest.fixture
def scanned(org):
    ScanRun.objects.create(organisation=org, scanned_at=NOW)


@pytest.fixture
def every_kind(org, scanned, make_customer, make_kpi):
    """Two customers to contact, two advisory meetings, two monitors and three KPIs."""
    recent = make_customer(name="Nyere Kunde", since=dt.date(2027, 3, 1))  # due 1 June
    oldest = make_customer(name="Ældste Kunde", since=dt.date(2026, 6, 1))  # due 1 September
    kpi = make_kpi(name="Omsætning")
    # Raised in the order of urgency: the newest first (the inbox's old order) would be
    # the least urgent first.
    return {
        "oldest": _raise(org, AlertKind.CUSTOMER_OVERDUE, customer=oldest),
        "recent": _raise(org, AlertKind.CUSTOMER_OVERDUE, customer=recent),
        "advisory_2024": _raise(org, AlertKind.ADVISORY_DUE, customer=oldest, due="2024-06-01"),
        "advisory_later": _raise(org, AlertKind.ADVISORY_DUE, customer=recent, due="2027-07-20"),
        "breached": _raise(org, AlertKind.MONITOR_BREACHED, name="Fugt", detail="For høj"),
        "stale": _raise(org, AlertKind.MONITOR_STALE, name="Temperatur", detail="Ingen måling"),
        "off_track": _raise(org, AlertKind.KPI_OFF_TRACK, kpi=make_kpi(name="Tilbud sendt")),
        "at_risk": _raise(org, AlertKind.KPI_AT_RISK, kpi=make_kpi(name="Nye kunder")),
        "checkin": _raise(
            org, AlertKind.CHECKIN_OVERDUE, kpi=kpi, since="2027-05-01", due="2027-06-01"
        ),
    }


def _page(client, url="/alerts/", **headers) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en", **headers)
    assert response.status_code == 200
    return response.content.decode()


def _headings(content: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", h).strip()
        for h in re.findall(r"<h3 id=\"group-[^\"]+-heading\">(.*?)</h3>", content)
    ]


def _order(content: str, alerts: list[Alert]) -> list[int]:
    return [content.index(f'id="alert-{a.pk}"') for a in alerts]


def test_the_groups_come_in_order_each_with_its_count(alice_client, every_kind):
    content = _page(alice_client)

    assert _headings(content) == [
        "Customers to contact 2",
        "Advisory meetings 2",
        "Monitors 2",
        "KPIs 3",
    ]
    assert '<h2 id="open-heading">Open <span class="count">9</span></h2>' in content


def test_within_a_group_the_most_urgent_comes_first(alice_client, every_kind):
    a = every_kind
    content = _page(alice_client)

    # The most days overdue first: the older customer was due in September 2026.
    customers = _order(content, [a["oldest"], a["recent"]])
    assert customers == sorted(customers)
    # The earliest advisory meeting due first.
    advisory = _order(content, [a["advisory_2024"], a["advisory_later"]])
    assert advisory == sorted(advisory)
    monitors = _order(content, [a["breached"], a["stale"]])
    assert monitors == sorted(monitors)
    kpis = _order(content, [a["off_track"], a["at_risk"], a["checkin"]])
    assert kpis == sorted(kpis)


def test_acknowledged_and_snoozed_alerts_are_grouped_in_their_own_sections(
    alice_client, every_kind
):
    Alert.objects.filter(pk=every_kind["at_risk"].pk).update(state=AlertState.ACKNOWLEDGED)
    Alert.objects.filter(pk=every_kind["stale"].pk).update(snoozed_until=dt.date(2027, 7, 10))

    content = _page(alice_client)

    assert _headings(content) == [
        "Customers to contact 2",
        "Advisory meetings 2",
        "Monitors 1",
        "KPIs 2",
        "KPIs 1",  # acknowledged
        "Monitors 1",  # snoozed
    ]
    assert (
        content.index('id="acknowledged-heading"')
        < content.index(f'id="alert-{every_kind["at_risk"].pk}"')
        < content.index('id="snoozed-heading"')
        < content.index(f'id="alert-{every_kind["stale"].pk}"')
    )


def test_the_filters_are_a_plain_get_form(alice_client, every_kind):
    content = _page(alice_client)

    assert '<form class="card inbox-filters" method="get" action="/alerts/"' in content
    assert '<select name="group" id="id_group">' in content
    assert '<select name="state" id="id_state">' in content


def test_filtering_by_kind_shows_only_that_group(alice_client, every_kind):
    content = _page(alice_client, "/alerts/?group=advisory")

    assert _headings(content) == ["Advisory meetings 2"]
    assert '<option value="advisory" selected>Advisory meetings</option>' in content


def test_filtering_by_state_shows_only_that_state(alice_client, every_kind):
    Alert.objects.filter(pk=every_kind["at_risk"].pk).update(state=AlertState.ACKNOWLEDGED)

    acknowledged = _page(alice_client, "/alerts/?state=acknowledged")
    snoozed = _page(alice_client, "/alerts/?state=snoozed")

    assert _headings(acknowledged) == ["KPIs 1"] and 'id="open-heading"' not in acknowledged
    assert _headings(snoozed) == [] and "None." in snoozed


def test_an_empty_filtered_group_says_so_and_bad_filter_values_are_no_filter(
    alice_client, every_kind
):
    Alert.objects.filter(kind=AlertKind.ADVISORY_DUE).update(state=AlertState.ACKNOWLEDGED)

    empty = _page(alice_client, "/alerts/?group=advisory&state=open")
    everything = _page(alice_client, "/alerts/?group=nonsense&state=nonsense")

    assert "No open alerts of this kind." in empty and "Well done" not in empty
    assert _headings(everything)[:1] == ["Customers to contact 2"]


def test_htmx_filters_get_only_the_list(alice_client, every_kind):
    content = _page(alice_client, "/alerts/?group=kpis", **HTMX)

    assert content.startswith('<div id="inbox"') and _headings(content) == ["KPIs 3"]


def test_select_all_in_a_group_ticks_that_groups_alerts(alice_client, every_kind):
    a = every_kind
    content = _page(alice_client, "/alerts/?select=open.advisory")

    ticked = set(re.findall(r'value="(\d+)" form="bulk-form"[^>]*checked', content))
    assert ticked == {str(a["advisory_2024"].pk), str(a["advisory_later"].pk)}
    assert 'href="/alerts/?select=open.customers#group-open-customers"' in content
    assert "Clear the selection" in content


def test_select_all_ticks_at_most_the_bulk_limit(alice_client, org, scanned, make_customer):
    customer = make_customer()
    for _n in range(BULK_LIMIT + 3):
        _raise(org, AlertKind.ADVISORY_DUE, customer=customer, due="2027-01-01")

    content = _page(alice_client, "/alerts/?select=open.advisory")

    assert len(re.findall(r'form="bulk-form"[^>]*checked', content)) == BULK_LIMIT
    assert f"The first {BULK_LIMIT} are selected: at most {BULK_LIMIT} at a time." in content


def test_acknowledging_ticked_alerts_changes_them_and_says_how_many(alice_client, every_kind):
    a = every_kind
    Alert.objects.filter(pk=a["stale"].pk).update(state=AlertState.ACKNOWLEDGED)
    ids = [a["oldest"].pk, a["checkin"].pk, a["stale"].pk]

    response = alice_client.post(
        "/alerts/bulk/", {"action": "ack", "alert": ids}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )

    content = response.content.decode()
    assert "2 alerts acknowledged." in content  # the third was acknowledged already
    states = dict(Alert.objects.filter(pk__in=ids).values_list("pk", "state"))
    assert set(states.values()) == {AlertState.ACKNOWLEDGED}
    assert Alert.objects.filter(state=AlertState.OPEN).count() == 6


def test_a_bulk_action_by_htmx_returns_the_list_and_the_new_count(alice_client, every_kind):
    a = every_kind

    response = alice_client.post(
        "/alerts/bulk/",
        {"action": "ack", "alert": [a["recent"].pk, a["oldest"].pk], "group": "customers"},
        HTTP_ACCEPT_LANGUAGE="en",
        **HTMX,
    )

    content = response.content.decode()
    assert content.startswith('<div id="inbox"')
    assert '<p class="alert" role="status">2 alerts acknowledged.</p>' in content
    assert _headings(content) == ["Customers to contact 2"]  # still filtered, acknowledged
    assert content.rstrip().endswith(
        '<span id="nav-alert-count" hx-swap-oob="innerHTML"> <span class="count">(7)</span></span>'
    )


def test_without_javascript_a_bulk_action_goes_back_to_the_filtered_inbox(alice_client, every_kind):
    response = alice_client.post(
        "/alerts/bulk/", {"action": "ack", "alert": [every_kind["at_risk"].pk], "group": "kpis"}
    )

    assert response.status_code == 302 and response.url == "/alerts/?group=kpis"


def test_snoozing_ticked_alerts_snoozes_customers_with_their_alerts(alice_client, every_kind):
    a = every_kind
    ids = [a["oldest"].pk, a["recent"].pk, a["breached"].pk, a["advisory_2024"].pk]

    response = alice_client.post(
        "/alerts/bulk/",
        {"action": "snooze", "alert": ids, "until": "2027-07-07", "reason": ""},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )

    assert "4 alerts snoozed until 7 July 2027." in response.content.decode()
    snoozed = Alert.objects.filter(pk__in=ids)
    assert set(snoozed.values_list("snoozed_until", flat=True)) == {dt.date(2027, 7, 7)}
    assert set(snoozed.values_list("snooze_reason", flat=True)) == {"Snoozed in the inbox"}
    for customer in (a["oldest"].customer, a["recent"].customer):
        customer.refresh_from_db()
        assert (customer.snoozed_until, customer.snooze_reason) == (
            dt.date(2027, 7, 7),
            "Snoozed in the inbox",
        )
    assert Alert.objects.filter(snoozed_until__isnull=True).count() == 5


def test_the_bulk_snooze_defaults_to_a_week_and_refuses_a_day_not_after_today(
    alice_client, every_kind
):
    content = _page(alice_client)
    refused = alice_client.post(
        "/alerts/bulk/",
        {"action": "snooze", "alert": [every_kind["checkin"].pk], "until": "2027-06-30"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )

    assert 'name="until" id="bulk-until" value="2027-07-07"' in content
    assert "Snooze until a date after today (2027-06-30)." in refused.content.decode()
    assert not Alert.objects.filter(snoozed_until__isnull=False).exists()


def test_a_bulk_action_takes_at_most_100_alerts(alice_client, org, scanned, make_customer):
    customer = make_customer()
    ids = [
        _raise(org, AlertKind.ADVISORY_DUE, customer=customer, due="2027-01-01").pk
        for _n in range(BULK_LIMIT + 1)
    ]

    response = alice_client.post(
        "/alerts/bulk/", {"action": "ack", "alert": ids}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    exactly = alice_client.post("/alerts/bulk/", {"action": "ack", "alert": ids[:BULK_LIMIT]})

    assert "Choose at most 100 alerts at a time (you chose 101)." in response.content.decode()
    assert exactly.status_code == 302
    assert Alert.objects.filter(state=AlertState.OPEN).count() == 1


def test_a_bulk_action_needs_an_alert(alice_client, every_kind):
    response = alice_client.post(
        "/alerts/bulk/", {"action": "ack"}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )

    assert "Choose at least one alert." in response.content.decode()


def test_a_viewer_may_not_act_on_many_alerts_nor_sees_the_boxes(vera_client, every_kind):
    ids = [a.pk for a in every_kind.values()]

    content = _page(vera_client)
    response = vera_client.post("/alerts/bulk/", {"action": "ack", "alert": ids})

    assert response.status_code == 403
    assert 'form="bulk-form"' not in content and 'id="bulk-form"' not in content
    assert "Select all in this group" not in content
    assert not Alert.objects.exclude(state=AlertState.OPEN).exists()


def test_another_organisations_alerts_are_left_alone(charlie_client, every_kind):
    ids = [a.pk for a in every_kind.values()]

    response = charlie_client.post(
        "/alerts/bulk/", {"action": "ack", "alert": ids}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )

    assert "0 alerts acknowledged." in response.content.decode()
    assert not Alert.objects.exclude(state=AlertState.OPEN).exists()


def test_a_bulk_action_needs_the_csrf_token(alice, every_kind):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    response = client.post("/alerts/bulk/", {"action": "ack", "alert": [every_kind["oldest"].pk]})

    assert response.status_code == 403
    assert not Alert.objects.exclude(state=AlertState.OPEN).exists()


def _every_kind_times(org, make_customer, make_kpi, n: int) -> None:
    """``n`` customers with an overdue and an advisory alert, ``n`` monitors' and ``n``
    KPIs' alerts, some acknowledged and some snoozed: 4 × ``n`` alerts."""
    for i in range(n):
        customer = make_customer(name=f"Kunde {i}", since=dt.date(2026, 1, 1) + dt.timedelta(i))
        kpi = make_kpi(name=f"KPI {i}")
        _raise(org, AlertKind.CUSTOMER_OVERDUE, customer=customer)
        _raise(org, AlertKind.ADVISORY_DUE, customer=customer, due="2027-01-01")
        monitor = _raise(org, AlertKind.MONITOR_STALE, kpi=kpi, detail="Ingen måling")
        kind = (AlertKind.KPI_AT_RISK, AlertKind.KPI_OFF_TRACK, AlertKind.CHECKIN_OVERDUE)[i % 3]
        _raise(org, kind, kpi=kpi, due="2027-06-01", since="2027-05-01")
        if i % 4 == 1:
            Alert.objects.filter(pk=monitor.pk).update(state=AlertState.ACKNOWLEDGED)
        if i % 4 == 2:
            Alert.objects.filter(pk=monitor.pk).update(snoozed_until=dt.date(2027, 7, 10))


def test_the_inbox_takes_the_same_number_of_queries_for_6_and_66_alerts(
    alice_client, org, scanned, make_customer, make_kpi, django_assert_num_queries
):
    _every_kind_times(org, make_customer, make_kpi, 1)
    _raise(org, AlertKind.PERIOD_ENDED, kpi=make_kpi(name="Sidste år"), end="2027-06-01")
    _raise(org, AlertKind.MONITOR_BREACHED, name="Fugt")
    assert Alert.objects.count() == 6  # every group has some
    # The session, its user and the membership; the alerts, the scan, the count.
    with django_assert_num_queries(6) as few:
        _page(alice_client)

    _every_kind_times(org, make_customer, make_kpi, 15)
    assert Alert.objects.count() == 66
    with django_assert_num_queries(len(few.captured_queries)):
        content = _page(alice_client)
    assert _headings(content)[:4] == [
        "Customers to contact 16",
        "Advisory meetings 16",
        "Monitors 9",
        "KPIs 17",
    ]


def test_a_bulk_action_takes_the_same_number_of_queries_for_3_and_60_alerts(
    alice_client, org, scanned, make_customer, make_kpi, django_assert_max_num_queries
):
    _every_kind_times(org, make_customer, make_kpi, 15)
    alerts = list(Alert.objects.order_by("id").values_list("pk", flat=True))
    snooze = {"action": "snooze", "until": "2027-07-07", "reason": "Ferie"}

    def cost(data) -> int:
        with django_assert_max_num_queries(20) as counted:
            response = alice_client.post("/alerts/bulk/", data)
        assert response.status_code == 302
        return len(counted.captured_queries)

    assert cost({"action": "ack", "alert": alerts[:3]}) == cost(
        {"action": "ack", "alert": alerts[3:63]}
    )
    assert cost({**snooze, "alert": alerts[:3]}) == cost({**snooze, "alert": alerts[3:63]})
    assert Alert.objects.filter(snoozed_until=dt.date(2027, 7, 7)).count() >= 60


# Before the first scan.


def test_before_the_first_scan_the_inbox_says_the_check_is_pending(alice_client, org):
    content = _page(alice_client)

    assert "The first check has not run yet" in content
    assert "Well done" not in content
    assert '<form method="post" action="/alerts/scan/">' in content


def test_the_danish_inbox_never_praises_an_unchecked_organisation(alice_client, org):
    content = alice_client.get("/alerts/").content.decode()

    assert "Ingen åbne advarsler. Godt gået." not in content
    assert "Den første gennemgang er ikke kørt endnu" in content


def test_a_viewer_is_told_but_cannot_run_the_scan(vera_client, org):
    content = _page(vera_client)

    assert "The first check has not run yet" in content and "/alerts/scan/" not in content
    assert vera_client.post("/alerts/scan/").status_code == 403
    assert not ScanRun.objects.exists()


def test_check_now_runs_the_scan_and_shows_what_it_found(alice_client, org, make_customer):
    make_customer()  # overdue since 1 April

    response = alice_client.post("/alerts/scan/", HTTP_ACCEPT_LANGUAGE="en", follow=True)

    content = response.content.decode()
    assert response.redirect_chain == [("/alerts/", 302)]
    assert "Checked now: 1 new alert." in content
    assert "No contact with Bageriet Østerbro" in content
    assert "The first check has not run yet" not in content
    assert ScanRun.objects.get(organisation=org).scanned_at == NOW


def test_after_a_scan_that_found_nothing_the_inbox_is_empty_and_says_well_done(alice_client, org):
    alerts_sync(organisation=org, today=TODAY, now=NOW)

    content = _page(alice_client)

    assert "No open alerts. Well done." in content and "first check" not in content


def test_alerts_from_before_the_scan_was_recorded_mean_it_has_run(alice_client, org, make_customer):
    _raise(org, AlertKind.CUSTOMER_OVERDUE, customer=make_customer())

    assert "The first check has not run yet" not in _page(alice_client)


def test_every_scan_records_when_it_ran(org):
    alerts_sync(organisation=org, today=TODAY, now=NOW)
    alerts_sync(organisation=org, today=TODAY, now=NOW + dt.timedelta(minutes=15))

    assert ScanRun.objects.get(organisation=org).scanned_at == NOW + dt.timedelta(minutes=15)


# Advisory meetings overdue for years.


def test_an_advisory_meeting_overdue_for_years_is_listed_once_per_customer(
    alice_client, org, make_customer
):
    make_customer(name="Gammel Kunde", since=dt.date(2023, 1, 15), clock_start=TODAY)
    make_customer(name="Endnu Ældre", since=dt.date(2021, 5, 1), clock_start=TODAY)
    for day in (TODAY, TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=400)):
        alerts_sync(organisation=org, today=day, now=NOW)

    content = _page(alice_client, "/alerts/?group=advisory")

    assert _headings(content) == ["Advisory meetings 2"]
    assert content.count("Yearly advisory meeting with Gammel Kunde") == 1
    assert "Yearly advisory meeting with Gammel Kunde: due 15 January 2024" in content
    assert content.count("Yearly advisory meeting with Endnu Ældre") == 1
    # The most overdue first.
    assert content.index("Endnu Ældre") < content.index("Gammel Kunde")


def test_htmx_restoring_its_history_gets_the_whole_page(alice_client, every_kind):
    content = _page(
        alice_client,
        "/alerts/?group=kpis",
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )

    assert content.startswith("<!doctype html>") and _headings(content) == ["KPIs 3"]

"""The navigation shows every area a member may use: the data page (import, export,
backup, API tokens, calendar) for every role, marked as the current page there."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


@pytest.mark.parametrize("who", ["alice_client", "bob_client", "vera_client"])
def test_every_role_finds_the_data_page_in_the_navigation(request, who):
    client = request.getfixturevalue(who)

    content = client.get("/customers/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    nav = content.split('<nav class="mainnav"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/data/">Data</a>' in nav
    assert client.get("/data/").status_code == 200


def test_the_data_page_is_the_current_page_in_the_navigation(alice_client):
    content = alice_client.get("/data/tokens/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<a href="/data/" aria-current="page">Data</a>' in content


def test_the_header_keeps_the_whole_address_and_organisation_name_for_a_shortened_one(
    alice_client,
):
    content = alice_client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<span class="user-email" title="alice@example.com">alice@example.com</span>' in content
    assert '<span class="org-name" title="Acme ApS">Acme ApS</span>' in content


def test_the_language_button_keeps_its_name_when_it_shows_only_the_code(alice_client):
    content = alice_client.get("/", HTTP_ACCEPT_LANGUAGE="da").content.decode()

    assert 'aria-label="English"><span class="lang-long">English</span>' in content

"""Typed requests: what a view or an API operation knows about who is asking.

``OrganisationMiddleware`` puts the logged-in user's membership, organisation and the
organisation's today on every page request; the page guards (``fokus.accounts.access``)
let a view run only when there is a membership, so a guarded view takes an
``AuthenticatedHttpRequest``. The API's token authentication does the same for an
``ApiRequest``.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from fokus.accounts.models import ApiToken, Membership, Organisation, User


class AuthenticatedHttpRequest(HttpRequest):
    """A page request of a member of an organisation."""

    user: User
    membership: Membership
    organisation: Organisation
    # Today in the organisation's time zone, read from the clock once per request.
    today: dt.date
    htmx: HtmxDetails


class ApiRequest(HttpRequest):
    """An API request with a valid token of a member of the token's organisation."""

    user: User
    api_token: ApiToken
    organisation: Organisation
    today: dt.date

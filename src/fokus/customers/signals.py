"""What the customer register tells the areas built on it (the alerts), so that it never
imports them: each is sent by the register's services and received by whoever listens
(``fokus.alerts.receivers``).

- ``contact_logged``: a contact has been committed (by the page, the list, the API, the
  CLI or an import). Arguments: ``customer``, ``today``, ``now`` and ``advisory`` (it was
  the yearly advisory meeting, held).
- ``advisory_changed``: this cycle's advisory meeting was offered, booked or declined,
  and committed. Arguments: ``customer``, ``now``.
- ``snooze_changed``: a customer's snooze was set or lifted, sent inside the transaction
  that changes it, so what follows it (the customer's open alert) commits with it.
  Arguments: ``customer``, ``user``.
- ``snoozes_changed``: many customers got the same snooze at once (the inbox's bulk
  snooze), inside the transaction that changes them. Arguments: ``customer_ids``,
  ``until``, ``reason``, ``user``.
- ``deletion_asked``: the page that confirms a customer's deletion asks what else goes
  with the customer; each receiver answers a list of sentences (e.g. "2 open alerts").
  Arguments: ``customer``.
"""

from __future__ import annotations

from django.dispatch import Signal

contact_logged = Signal()
advisory_changed = Signal()
snooze_changed = Signal()
snoozes_changed = Signal()
deletion_asked = Signal()

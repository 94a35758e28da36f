"""Database triggers that keep each KPI's data stamp (``KpiDataStamp``) current.

Every INSERT, UPDATE and DELETE of check-ins or checklist items gives the KPIs it
touched a new random token, in the same transaction, whatever did the writing: the
services, a bulk INSERT, a restore, a cascade or plain SQL. A cached evaluation is keyed
by the token, so it is used only while the KPI's data is exactly what it was computed
from (``fokus.kpis.evaluations``).

The triggers are (re)installed after every ``migrate``: SQLite drops a table's triggers
when a migration rebuilds the table, so a later migration cannot silently lose them.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

STAMP_TABLE = "kpis_kpidatastamp"
TABLES = ("kpis_checkin", "kpis_checklistitem")

_SQLITE_UPSERT = (
    f"INSERT INTO {STAMP_TABLE} (kpi_id, token) VALUES ({{kpi}}, random()) "
    "ON CONFLICT (kpi_id) DO UPDATE SET token = excluded.token;"
)

_POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION fokus_kpi_data_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO {STAMP_TABLE} (kpi_id, token)
        SELECT kpi_id, (random() * 9.2e18)::bigint FROM (SELECT DISTINCT kpi_id FROM new_rows) k
        ON CONFLICT (kpi_id) DO UPDATE SET token = EXCLUDED.token;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO {STAMP_TABLE} (kpi_id, token)
        SELECT kpi_id, (random() * 9.2e18)::bigint FROM (SELECT DISTINCT kpi_id FROM old_rows) k
        ON CONFLICT (kpi_id) DO UPDATE SET token = EXCLUDED.token;
    ELSE
        INSERT INTO {STAMP_TABLE} (kpi_id, token)
        SELECT kpi_id, (random() * 9.2e18)::bigint FROM (
            SELECT kpi_id FROM new_rows UNION SELECT kpi_id FROM old_rows
        ) k
        ON CONFLICT (kpi_id) DO UPDATE SET token = EXCLUDED.token;
    END IF;
    RETURN NULL;
END;
$$;
"""

_POSTGRES_REFERENCING = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
}


def _trigger_name(table: str, operation: str) -> str:
    return f"{table}_stamp_{operation.lower()}"


def _sqlite_statements() -> list[str]:
    statements = []
    for table in TABLES:
        bodies = {
            "INSERT": _SQLITE_UPSERT.format(kpi="NEW.kpi_id"),
            "DELETE": _SQLITE_UPSERT.format(kpi="OLD.kpi_id"),
            "UPDATE": _SQLITE_UPSERT.format(kpi="OLD.kpi_id")
            + " "
            + _SQLITE_UPSERT.format(kpi="NEW.kpi_id"),
        }
        for operation, body in bodies.items():
            # One row at a time: SQLite has no statement-level triggers.
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS {_trigger_name(table, operation)} "
                f"AFTER {operation} ON {table} FOR EACH ROW BEGIN {body} END"
            )
    return statements


def _postgres_statements() -> list[str]:
    statements = [_POSTGRES_FUNCTION]
    for table in TABLES:
        for operation, referencing in _POSTGRES_REFERENCING.items():
            # Once per statement, with the changed rows as a table: a bulk INSERT of a
            # thousand rows stamps each of its KPIs once.
            name = _trigger_name(table, operation)
            statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            statements.append(
                f"CREATE TRIGGER {name} AFTER {operation} ON {table} {referencing} "
                "FOR EACH STATEMENT EXECUTE FUNCTION fokus_kpi_data_changed()"
            )
    return statements


def install_triggers(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers on ``connection`` (idempotent)."""
    if connection.vendor == "sqlite":
        statements = _sqlite_statements()
    elif connection.vendor == "postgresql":
        statements = _postgres_statements()
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise RuntimeError(f"No data-stamp triggers for {connection.vendor}.")
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def installed_triggers(connection: BaseDatabaseWrapper) -> set[str]:
    """The names of the stamp triggers present (for the checks and tests)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        names = {row[0] for row in cursor.fetchall()}
    return names & expected_triggers()


def expected_triggers() -> set[str]:
    return {_trigger_name(t, op) for t in TABLES for op in ("INSERT", "UPDATE", "DELETE")}


def install_after_migrate(sender: Any, *, using: str, **kwargs: Any) -> None:
    from django.db import connections

    connection = connections[using]
    present = set(connection.introspection.table_names())
    if STAMP_TABLE in present and present.issuperset(TABLES):
        install_triggers(connection)

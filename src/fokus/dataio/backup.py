"""Full backup of one organisation as JSON, and its restore into an empty database.

The backup is generic: it walks every model of the ``fokus`` apps and keeps those whose
rows belong to the organisation, found by following foreign keys to ``Organisation``
(e.g. a check-in through its KPI), else to a member ``User`` (per-user settings). Users
who are members, or whom a kept row refers to, come along. A model another area adds
later is so included without touching this module; a model may opt out with a class
attribute ``backup_exclude = True`` (passing state such as idempotency keys).

Restore inserts every row with its primary key in one transaction (foreign keys are
checked at commit) and moves the id sequences past them, so the restored organisation
gives the same KPI evaluations and due lists as the original.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, IntegrityError, connection, models, transaction

from fokus.accounts.models import Organisation
from fokus.dataio.errors import DataError

FORMAT = "fokus-backup"
VERSION = 1
EXCLUDED = {"dataio.importjob"}
USER_FIELDS_SKIPPED = {"groups", "user_permissions"}


@dataclass(frozen=True)
class Scoped:
    """A model and the lookup from it to its organisation's primary key."""

    model: type[models.Model]
    lookup: str
    via_user: bool = False


def fokus_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("fokus.") and not m._meta.proxy and m._meta.managed
    ]


def _foreign_keys(model: type[models.Model]) -> Iterator[models.ForeignKey[Any, Any]]:
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey):
            yield field


def _path(model: type[models.Model], target: type[models.Model]) -> str | None:
    """The shortest chain of foreign keys from ``model`` to ``target`` as a lookup."""
    queue: deque[tuple[type[models.Model], list[str]]] = deque([(model, [])])
    seen = {model}
    while queue:
        current, path = queue.popleft()
        if current is target:
            return "__".join(path)
        for field in _foreign_keys(current):
            related = field.related_model
            if isinstance(related, type) and related not in seen:
                seen.add(related)
                queue.append((related, [*path, field.name]))
    return None


def backup_plan() -> tuple[list[Scoped], list[type[models.Model]]]:
    """The models a backup keeps (with their lookups) and the ones it leaves out."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    kept: list[Scoped] = []
    left: list[type[models.Model]] = []
    for model in fokus_models():
        if model._meta.label_lower in EXCLUDED or getattr(model, "backup_exclude", False):
            left.append(model)
            continue
        if model is Organisation:
            kept.append(Scoped(model, "pk"))
            continue
        if model is user_model:
            kept.append(Scoped(model, "memberships__organisation", via_user=True))
            continue
        to_org = _path(model, Organisation)
        if to_org is not None:
            kept.append(Scoped(model, to_org + "__pk"))
            continue
        to_user = _path(model, user_model)
        if to_user is not None:
            kept.append(Scoped(model, to_user + "__memberships__organisation", via_user=True))
        else:
            left.append(model)
    return _ordered(kept), left


def _ordered(scoped: list[Scoped]) -> list[Scoped]:
    """Referenced models before the models referring to them (readable, and restorable
    even where foreign keys are not deferred)."""
    by_model = {s.model: s for s in scoped}
    done: list[Scoped] = []
    visiting: set[type[models.Model]] = set()

    def visit(model: type[models.Model]) -> None:
        if model in visiting or by_model[model] in done:
            return
        visiting.add(model)
        for field in _foreign_keys(model):
            if field.related_model in by_model and field.related_model is not model:
                visit(field.related_model)
        done.append(by_model[model])

    for s in scoped:
        visit(s.model)
    return done


def _serialize(queryset: Iterable[models.Model], model: type[models.Model]) -> list[Any]:
    fields = [
        f.name
        for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if not f.primary_key and f.name not in USER_FIELDS_SKIPPED
    ]
    return serializers.serialize("python", queryset, fields=fields)


def backup_create(*, organisation: Organisation, now: dt.datetime) -> dict[str, Any]:
    """Everything of one organisation as JSON-ready data."""
    scoped, _left = backup_plan()
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    rows: dict[str, list[Any]] = {}
    user_ids: set[Any] = set()
    for s in scoped:
        if s.model is user_model:
            continue
        queryset = s.model._default_manager.filter(**{s.lookup: organisation.pk}).order_by("pk")
        if s.via_user:
            queryset = queryset.distinct()
        rows[s.model._meta.label_lower] = _serialize(queryset.iterator(chunk_size=2000), s.model)
        for field in _foreign_keys(s.model):
            if field.related_model is user_model:
                user_ids.update(
                    obj["fields"][field.name]
                    for obj in rows[s.model._meta.label_lower]
                    if obj["fields"].get(field.name) is not None
                )
    members = user_model._default_manager.filter(memberships__organisation=organisation)
    user_ids.update(members.values_list("pk", flat=True))
    users = user_model._default_manager.filter(pk__in=user_ids).order_by("pk")
    rows[user_model._meta.label_lower] = _serialize(users, user_model)
    objects = [obj for s in scoped for obj in rows.get(s.model._meta.label_lower, [])]
    return {
        "format": FORMAT,
        "version": VERSION,
        "created_at": now.isoformat(),
        "organisation": {
            "id": organisation.pk,
            "slug": organisation.slug,
            "name": organisation.name,
        },
        "counts": {label: len(objs) for label, objs in rows.items()},
        "objects": objects,
    }


def backup_json(data: dict[str, Any]) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)


def _parse(raw: bytes | str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise DataError("backup_invalid", reason=str(error)[:200]) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DataError("backup_invalid", reason="no “format”: “fokus-backup”")
    if data.get("version") != VERSION:
        raise DataError("backup_invalid", reason=f"version {data.get('version')!r}")
    if not isinstance(data.get("objects"), list):
        raise DataError("backup_invalid", reason="no “objects”")
    return data


def _check_empty() -> None:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for model in (Organisation, user_model):
        if model._default_manager.exists():
            raise DataError("restore_not_empty", what=model._meta.verbose_name_plural)


def backup_restore(raw: bytes | str) -> dict[str, int]:
    """Restore a backup into an empty database; returns the number of rows per model."""
    data = _parse(raw)
    allowed = {s.model._meta.label_lower for s in backup_plan()[0]}
    for obj in data["objects"]:
        if not isinstance(obj, dict) or obj.get("model") not in allowed:
            model = obj.get("model") if isinstance(obj, dict) else obj
            raise DataError("backup_invalid", reason=f"unexpected model {model!r}"[:200])
    counts: dict[str, int] = {}
    try:
        with transaction.atomic():
            _check_empty()
            batches: dict[type[models.Model], list[models.Model]] = {}
            with_m2m = []
            for item in serializers.deserialize("python", data["objects"]):
                batches.setdefault(type(item.object), []).append(item.object)
                if item.m2m_data:
                    with_m2m.append(item)
            for model, objects in batches.items():
                _insert_raw(model, objects)
                counts[model._meta.label_lower] = len(objects)
            for item in with_m2m:
                for name, values in (item.m2m_data or {}).items():
                    getattr(item.object, name).set(values)
            _reset_sequences(list(batches))
    except DeserializationError as error:
        raise DataError("backup_invalid", reason=str(error)[:200]) from None
    except IntegrityError as error:
        raise DataError("backup_invalid", reason=str(error)[:200]) from None
    except DatabaseError as error:
        raise DataError("backup_invalid", reason=str(error)[:200]) from None
    return counts


def _insert_raw(model: type[models.Model], objects: list[models.Model]) -> None:
    """Insert rows as they are (primary keys and timestamps kept, as ``loaddata`` does)."""
    fields = [f for f in model._meta.concrete_fields]
    size = max(1, (connection.features.max_query_params or 999) // len(fields))
    manager = model._base_manager
    for i in range(0, len(objects), size):
        manager._insert(objects[i : i + size], fields=fields, raw=True)  # type: ignore[attr-defined]


def _reset_sequences(restored: list[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), restored)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

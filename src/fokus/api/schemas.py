"""What every router's answers share: the problem shape and JSON's numbers, dates and
times (each area's own shapes are in its app, e.g. ``fokus.kpis.shapes``)."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Schema
from pydantic import WithJsonSchema

# What an answer's values are in JSON: a number as json_number writes it, a date or a
# time as ISO text (the serializers write them so, as the CLI's --json prints them).
Number = int | float
IsoDate = Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]
IsoDateTime = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]


class ProblemError(Schema):
    field: str | None = None
    code: str | None = None
    message: str
    index: int | None = None
    row: int | None = None


class Problem(Schema):
    """application/problem+json (RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str | None = None
    errors: list[ProblemError] | None = None


def problems(*codes: int) -> dict[int, Any]:
    """The problem responses of an operation: always 401 and 429, plus ``codes``."""
    return {code: Problem for code in sorted({401, 429, *codes})}

"""Typed domain errors raised by the pure core.

Each error carries a stable machine ``code``, the input ``field`` it concerns (or ``None``)
and ``params`` for formatting a translated message at the edge. ``str(err)`` is the
English message.
"""

from __future__ import annotations

from typing import Any


class CoreError(ValueError):
    """Base class of every error the core raises on bad input."""

    code: str
    message: str
    field: str | None
    params: dict[str, Any]

    def __init__(self, code: str, message: str, *, field: str | None = None, **params: Any):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.params = params

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        # Exceptions pickle through ``args``; keep code, field and params across a pickle.
        return (_rebuild, (type(self), self.code, self.message, self.field, self.params))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, field={self.field!r}, {self.message!r})"


class PeriodError(CoreError):
    """A period string or a period split is not valid."""


class DefinitionError(CoreError):
    """A KPI definition breaks one of the definition checks."""


class FunnelError(CoreError):
    """A funnel goal, rate, stage list or placement is not valid."""


def _rebuild(
    cls: type[CoreError], code: str, message: str, field: str | None, params: dict[str, Any]
) -> CoreError:
    return cls(code, message, field=field, **params)

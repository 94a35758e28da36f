"""What every refusal of the product shares: a machine ``code``, the ``field`` it concerns
(or None) and the ``params`` of its sentence. Each area's error names its own table of
sentences; the edges (forms, problem+json, the CLI) show ``message``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar


class ProductError(Exception):
    """A request the product refuses; nothing has been saved."""

    # code -> sentence (lazily translated) with %(name)s placeholders for ``params``
    MESSAGES: ClassVar[Mapping[str, Any]] = {}

    def __init__(self, code: str, *, field: str | None = None, **params: object) -> None:
        self.code = code
        self.field = field
        self.params = params
        super().__init__(code)

    @property
    def message(self) -> str:
        """The sentence in the active language; the bare code when there is none."""
        template = self.MESSAGES.get(self.code)
        if template is None:
            return self.code
        # Whole numbers stay numbers: a plural message picks its form by one of them.
        values = {k: v if isinstance(v, int) else str(v) for k, v in self.params.items()}
        return str(template % values)

    def __str__(self) -> str:
        return self.message

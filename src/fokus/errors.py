"""The one hierarchy of refusals: every request the product refuses raises a
``ProductError`` (or, from the pure core, a ``CoreError``, mapped here once), and nothing
has been saved.

An error carries a machine ``code``, the ``field`` it concerns (or None) and the
``params`` of its sentence. Each area has its own subclass with its own table of
sentences (``MESSAGES``); codes are unique across all tables (a test checks), so a code
names one reason wherever it is raised. The sentence is only made at an edge, in the
user's language: the API's problem+json (``fokus.api.main``), the CLI's one line
(``fokus.cli.base``) and a form's error (``fokus.ui.forms.add_refusal``) all read
``refusal(error).message``.

This module holds the base, the reasons several areas share (a missing object, bad
input) and the sentences of the core's codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from fokus.core.errors import CoreError


class ProductError(Exception):
    """A request the product refuses; nothing has been saved."""

    # code -> sentence (lazily translated) with %(name)s placeholders for ``params``
    MESSAGES: ClassVar[Mapping[str, Any]] = {}
    # What the API answers with.
    STATUS: ClassVar[int] = 422

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

    @property
    def status(self) -> int:
        return self.STATUS

    def entries(self) -> list[dict[str, Any]]:
        """The refusal as the entries of a problem's ``errors`` list."""
        return [{"field": self.field, "code": self.code, "message": self.message}]

    def headers(self) -> dict[str, str]:
        """Headers the API's answer carries besides the problem."""
        return {}

    def __str__(self) -> str:
        return self.message


class NotFound(ProductError):
    """A reference to nothing the organisation has (another organisation's object
    included: its existence is not revealed). Named in a field of a request, it is a bad
    value of that field (422); named by the address itself, the answer is 404."""

    MESSAGES = {
        "unknown_kpi": _("There is no KPI “%(ref)s”."),
        "unknown_customer": _("There is no customer “%(ref)s”."),
        "unknown_partner": _("There is no partner “%(ref)s”."),
        "unknown_monitor": _("There is no monitor “%(ref)s” for this customer."),
        "unknown_alert": _("There is no alert %(ref)s."),
        "unknown_checkin": _("There is no check-in %(ref)s."),
        "unknown_organisation": _("There is no organisation with the slug “%(slug)s”."),
        "unknown_user": _("There is no user with the e-mail address %(email)s."),
    }

    @property
    def status(self) -> int:
        return 404 if self.field is None else 422

    def entries(self) -> list[dict[str, Any]]:
        return [] if self.field is None else super().entries()


class InputError(ProductError):
    """A value that cannot be read or kept, whatever it is for."""

    MESSAGES = {
        "required": _("A value is required."),
        "nul_byte": _("The text contains a NUL character, which cannot be stored."),
        "text_too_long": _("The text is too long: at most %(limit)s characters."),
        "not_a_number": _("“%(text)s” is not a number."),
        "too_large": _("“%(text)s” is too large."),
        "too_many_decimals": _("“%(text)s” has more than %(places)s decimals."),
        "not_an_iso_date": _("“%(text)s” is not a date: use YYYY-MM-DD."),
        "invalid_choice": _("“%(value)s” is not a valid %(name)s; choose one of %(choices)s."),
    }


# The sentences of the pure core's codes (the core words its errors in English only).
CORE_MESSAGES = {
    "period_invalid": _(
        "“%(text)s” is not a period: use e.g. 2027, 2027-K2, 2027-05 or START..END."
    ),
    "end_before_start": _("The period must end on or after its start."),
    "target_equals_baseline": _("The target must differ from the starting value."),
    "direction_mismatch": _(
        "A KPI that should increase needs a target above its starting value, "
        "and one that should decrease a target below it."
    ),
    "milestone_outside_period": _(
        "Every sub-goal must lie in the period, before its last day (%(date)s does not)."
    ),
    "milestone_duplicate_date": _("There can be only one sub-goal per date (%(date)s)."),
    "recurring_needs_sum": _("A target that recurs every interval needs the measure “sum”."),
    "recurring_target_mismatch": _(
        "With %(interval_target)s per interval the target must be %(expected)s."
    ),
    "interval_target_missing": _("Give the target per interval."),
    "interval_target_not_positive": _("The target per interval must be above zero."),
    "unknown_direction": _("The direction must be increase or decrease."),
    "unknown_measure": _("The measure must be sum, last, average or checklist."),
    "unknown_interval": _("The interval must be week, month or quarter."),
    "funnel_goal_invalid": _("The goal must be a whole number above zero."),
    "funnel_rate_invalid": _("Every conversion rate must be above 0 and at most 1."),
    "funnel_stage_count": _("Give one stage name more than there are conversion rates."),
    "funnel_placement_invalid": _("Placement must be sequential or parallel."),
}


class CoreRefusal(ProductError):
    """An error of the pure core, said in the user's language; a code without a sentence
    here keeps the core's own (English) words."""

    MESSAGES = CORE_MESSAGES

    def __init__(self, error: CoreError) -> None:
        super().__init__(error.code, field=error.field, **error.params)
        self.english = error.message

    @property
    def message(self) -> str:
        if self.code not in self.MESSAGES:
            return self.english
        try:
            return super().message
        except (KeyError, TypeError, ValueError):  # a sentence naming a param not given
            return self.english


# What an edge catches: every refusal, the core's included.
REFUSALS = (ProductError, CoreError)


def refusal(error: ProductError | CoreError) -> ProductError:
    """The product's refusal for ``error``: a core error mapped to its sentence."""
    if isinstance(error, CoreError):
        return CoreRefusal(error)
    return error


@dataclass(frozen=True)
class RowProblem:
    """One bad row (file row number, or index of a bulk item), column and reason."""

    row: int
    column: str
    code: str
    message: str

    def as_dict(self, *, row_key: str = "row") -> dict[str, object]:
        return {row_key: self.row, "field": self.column, "code": self.code, "message": self.message}


def row_problem(row: int, column: str, error: ProductError | CoreError) -> RowProblem:
    said = refusal(error)
    return RowProblem(row=row, column=column, code=said.code, message=said.message)


class RowErrors(ProductError):
    """Some rows of a file or items of a bulk request are bad; every one of them is
    listed (``problems``) and nothing was saved."""

    MESSAGES = {
        "items_invalid": ngettext_lazy(
            "%(count)s item is invalid; nothing was saved.",
            "%(count)s items are invalid; nothing was saved.",
            "count",
        ),
    }

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        super().__init__("items_invalid", count=len({p.row for p in problems}))

    def entries(self) -> list[dict[str, Any]]:
        return [p.as_dict(row_key="index") for p in self.problems]

"""Argument types shared by the commands: they turn text into values or a one-line error."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from django.core.management.base import CommandParser

from fokus.errors import ProductError
from fokus.values import parse_date, parse_value


def _wrap(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    def convert(text: str) -> Any:
        try:
            return parse(text)
        except ProductError as error:
            raise argparse.ArgumentTypeError(error.message) from None

    convert.__name__ = parse.__name__
    return convert


date_arg = _wrap(parse_date)
value_arg = _wrap(parse_value)


def add_org(parser: CommandParser) -> None:
    parser.add_argument(
        "--org", metavar="SLUG", help="the organisation to act on (default: the only one)"
    )


def add_json(parser: CommandParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON (the API's field names)")


def add_as_of(parser: CommandParser) -> None:
    parser.add_argument(
        "--as-of",
        type=date_arg,
        metavar="DATE",
        help="evaluate at the end of this day (default: today)",
    )

"""Every refusal of the product has one sentence: each area's table lists its own codes,
no code stands in two tables, and every code the code raises is in the table of the
class it is raised with."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest
from django.utils import translation

import fokus
from fokus.core.errors import CoreError
from fokus.errors import CORE_MESSAGES, CoreRefusal, ProductError, refusal

PACKAGE = Path(fokus.__file__).resolve().parent


def _load_everything() -> None:
    for module in pkgutil.walk_packages(fokus.__path__, "fokus."):
        if ".migrations" not in module.name and not module.name.endswith("__main__"):
            importlib.import_module(module.name)


def _classes() -> list[type[ProductError]]:
    _load_everything()
    found, todo = [], [ProductError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo += cls.__subclasses__()
    return found


def _tables() -> dict[str, list[str]]:
    """code -> the classes whose own table says it."""
    where: dict[str, list[str]] = {}
    for cls in _classes():
        table = cls.__dict__.get("MESSAGES")
        if table is None:
            continue
        for code in table:
            where.setdefault(code, []).append(cls.__qualname__)
    return where


def test_no_code_stands_in_two_tables():
    twice = {code: owners for code, owners in _tables().items() if len(owners) > 1}
    assert not twice, twice


def _raised() -> list[tuple[str, str, str]]:
    """(where, class name, code) of every ``SomeError("code", ...)`` in the package."""
    raised = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.args and isinstance(node.args[0], ast.Constant):
                code = node.args[0].value
                if isinstance(code, str):
                    where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
                    raised.append((where, node.func.id, code))
    return raised


def test_every_code_raised_has_a_sentence_in_its_class():
    classes = {cls.__name__: cls for cls in _classes()}
    missing = []
    for where, name, code in _raised():
        cls = classes.get(name)
        if cls is None or cls in (ProductError, CoreRefusal):
            continue
        if code not in cls.MESSAGES:
            missing.append(f"{where} {name}({code!r})")
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("code", sorted(CORE_MESSAGES))
def test_a_core_code_with_a_sentence_is_said_in_the_users_language(code):
    params = {"text": "x", "date": "2027-01-01", "interval_target": 5, "expected": 60}
    error = CoreError(code, "English words", **params)
    with translation.override("da"):
        danish = refusal(error).message
    with translation.override("en"):
        english = refusal(error).message
    assert "English words" not in (danish, english)
    assert danish != english

"""The layers of ARCHITECTURE.md hold: an app imports only apps below its own layer, the
shared modules import no app, the core imports nothing but itself and the standard
library, and only the edges read the clock."""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "fokus"

# Lowest first; apps of one layer are independent of each other.
LAYERS = [
    {"ui", "cli"},
    {"accounts"},
    {"api"},
    {"kpis"},
    {"customers"},
    {"plans", "alerts", "dataio"},
    {"guide", "demo"},
]
LAYER = {app: level for level, apps in enumerate(LAYERS) for app in apps}
# Modules every layer may use; they use no app.
SHARED = {"core", "errors", "values", "text", "env", "counters", "sqlite", "runtime"}
# The composition root: the project's URLs, settings and entry points.
ROOT = {"urls", "settings", "wsgi", "__main__"}


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if "migrations" in relative.parts:
            continue
        yield relative.parts[0].removesuffix(".py"), path


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    """Every module ``path`` imports (module level, inside functions, under TYPE_CHECKING)."""
    module = ".".join(("fokus", *path.relative_to(PACKAGE).with_suffix("").parts))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                yield node.lineno, ".".join([*base, *([node.module] if node.module else [])])
            elif node.module:
                yield node.lineno, node.module


def _fokus_part(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if parts[0] == "fokus" and len(parts) > 1 else None


def test_every_part_of_the_package_has_a_place_in_the_layers():
    parts = {part for part, _path in _modules()} - {"__init__"}
    assert parts <= set(LAYER) | SHARED | ROOT, parts - set(LAYER) - SHARED - ROOT


def _wrong_imports(parts: set[str], wrong: Callable[[str, str], bool]) -> list[str]:
    """Every import of a module of ``parts`` for which ``wrong(part, imported name)``."""
    found = []
    for part, path in _modules():
        if part in parts:
            for line, name in _imports(path):
                if wrong(part, name):
                    found.append(f"{path.relative_to(PACKAGE)}:{line} imports {name}")
    return found


def test_an_app_imports_only_apps_below_its_layer():
    def upwards(part: str, name: str) -> bool:
        target = _fokus_part(name)
        return target in LAYER and target != part and LAYER[target] >= LAYER[part]

    wrong = _wrong_imports(set(LAYER), upwards)
    assert not wrong, "\n".join(wrong)


def test_the_shared_modules_import_no_app():
    def an_app(part: str, name: str) -> bool:
        target = _fokus_part(name)
        return target is not None and target not in SHARED

    wrong = _wrong_imports(SHARED, an_app)
    assert not wrong, "\n".join(wrong)


def test_the_core_is_plain_python():
    allowed = set(sys.stdlib_module_names) | {"__future__", "dateutil"}

    def foreign(part: str, name: str) -> bool:
        return not (name.startswith("fokus.core") or name.split(".")[0] in allowed)

    wrong = _wrong_imports({"core"}, foreign)
    assert not wrong, "\n".join(wrong)


# What reads the clock; only the edges may (views, the API, commands, tasks, middleware,
# context processors, the CLI, template tags, the worker's runner and the settings).
CLOCK = {
    ("timezone", "now"),
    ("timezone", "localdate"),
    ("timezone", "localtime"),
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "today"),
    ("datetime", "utcnow"),
    ("time", "time"),
}
EDGE = re.compile(
    r"(^|/)(views?|api|management|tasks|middleware|context_processors|cli|templatetags"
    r"|runner|settings|urls|wsgi)(\.py$|/)"
)


def test_only_the_edges_read_the_clock():
    reads = []
    for _part, path in _modules():
        relative = path.relative_to(PACKAGE).as_posix()
        if EDGE.search(relative):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            owner = node.func.value
            name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", None)
            if (name, node.func.attr) in CLOCK:
                reads.append(f"{relative}:{node.lineno} {name}.{node.func.attr}()")
    assert not reads, "\n".join(reads)


@pytest.mark.parametrize("layer", range(len(LAYERS)))
def test_architecture_md_draws_every_layer(layer):
    text = (PACKAGE.parent.parent / "ARCHITECTURE.md").read_text(encoding="utf-8")
    drawn = re.search(rf"^ {layer}  (.+)$", text, re.M)
    assert drawn, f"layer {layer} is not drawn"
    assert set(drawn.group(1).split()[: len(LAYERS[layer])]) == LAYERS[layer]

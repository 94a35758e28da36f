"""The two lock files stay split: requirements.lock pins what Fokus runs on (all that
`make demo` installs), requirements-dev.lock the development tools, each package in one
of them only, and both hold nothing but `name==version` pins and comments."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())

# A plain pin: a project name (PEP 508) and a public version (PEP 440), nothing more.
PIN = re.compile(
    r"(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)"
    r"==(?P<version>(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*(?:(?:a|b|rc)[0-9]+)?"
    r"(?:\.post[0-9]+)?(?:\.dev[0-9]+)?)"
)
REQUIREMENT_NAME = re.compile(r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")

# Tools for tests, browsers and lint that `make demo` must never install.
DEV_TOOLS = {
    "aiosmtpd",
    "django-stubs",
    "django-stubs-ext",
    "factory-boy",
    "faker",
    "hypothesis",
    "hypothesis-graphql",
    "mypy",
    "playwright",
    "pytest",
    "pytest-django",
    "pytest-playwright",
    "ruff",
    "schemathesis",
    "time-machine",
}


def normalize(name: str) -> str:
    """The name as the package index compares it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def line_problem(line: str) -> str | None:
    """Why a lock file line is not a plain pin, a comment or blank; None when it is one."""
    text = line.strip()
    if not text or text.startswith("#"):
        return None
    if PIN.fullmatch(text):
        return None
    if text.startswith("-"):
        return "an option"
    if "://" in text or re.search(r"\s@\s", text):
        return "a URL"
    if "/" in text or "\\" in text or text.startswith(".") or text.endswith((".whl", ".gz")):
        return "a path"
    return "not a plain name==version pin"


def read_pins(path: Path) -> dict[str, str]:
    """Normalized name -> the pin line, for every pin of a lock file."""
    pins: dict[str, str] = {}
    for line in path.read_text().splitlines():
        match = PIN.fullmatch(line.strip())
        if match:
            pins[normalize(match["name"])] = line.strip()
    return pins


def requirement_names(requirements: list[str]) -> set[str]:
    names = set()
    for requirement in requirements:
        match = REQUIREMENT_NAME.match(requirement)
        assert match, f"not a requirement: {requirement!r}"
        names.add(normalize(match[1]))
    return names


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Django==5.2.19", None),
        ("certifi==2026.10.19.post1", None),
        ("# a comment", None),
        ("", None),
        ("--index-url https://example.com/simple", "an option"),
        ("--extra-index-url=https://example.com/simple", "an option"),
        ("-e .", "an option"),
        ("-r requirements.lock", "an option"),
        ("--hash=sha256:0123", "an option"),
        ("https://example.com/fokus-0.1.0.tar.gz", "a URL"),
        ("fokus @ https://example.com/fokus-0.1.0.tar.gz", "a URL"),
        ("fokus @ file:///srv/wheels/fokus-0.1.0-py3-none-any.whl", "a URL"),
        ("./wheels/fokus-0.1.0-py3-none-any.whl", "a path"),
        ("src/fokus", "a path"),
        ("Django>=5.2", "not a plain name==version pin"),
        ("psycopg[binary]==3.3.9", "not a plain name==version pin"),
        ("Django==5.2.19 --hash=sha256:0123", "not a plain name==version pin"),
        ('Django==5.2.19; python_version >= "3.11"', "not a plain name==version pin"),
    ],
)
def test_line_problem_tells_a_pin_from_anything_else(line, reason):
    assert line_problem(line) == reason


@pytest.mark.parametrize("lock", [RUNTIME_LOCK, DEV_LOCK], ids=lambda path: path.name)
def test_a_lock_file_holds_only_plain_pins_and_comments(lock):
    problems = [
        f"{lock.name}:{number}: {reason}: {line.strip()!r}"
        for number, line in enumerate(lock.read_text().splitlines(), start=1)
        if (reason := line_problem(line))
    ]
    assert not problems, "\n".join(problems)
    assert read_pins(lock), f"{lock.name} pins nothing"


@pytest.mark.parametrize("lock", [RUNTIME_LOCK, DEV_LOCK], ids=lambda path: path.name)
def test_a_lock_file_pins_each_package_once(lock):
    names = [
        normalize(match["name"])
        for line in lock.read_text().splitlines()
        if (match := PIN.fullmatch(line.strip()))
    ]
    repeated = sorted({name for name in names if names.count(name) > 1})
    assert not repeated, f"pinned more than once in {lock.name}: {repeated}"


def test_no_package_is_pinned_in_both_lock_files():
    both = sorted(set(read_pins(RUNTIME_LOCK)) & set(read_pins(DEV_LOCK)))
    assert not both, f"pinned in both lock files (keep them in {RUNTIME_LOCK.name}): {both}"


def test_the_runtime_lock_holds_no_development_tool():
    dev_extras = requirement_names(PYPROJECT["project"]["optional-dependencies"]["dev"])
    tools = DEV_TOOLS | dev_extras
    found = sorted(
        line
        for name, line in read_pins(RUNTIME_LOCK).items()
        if name in tools or name.startswith("types-")
    )
    assert not found, f"development tools in {RUNTIME_LOCK.name}: {found}"


def test_every_runtime_dependency_is_pinned_in_the_runtime_lock():
    dependencies = requirement_names(PYPROJECT["project"]["dependencies"])
    assert "django" in dependencies
    missing = sorted(dependencies - set(read_pins(RUNTIME_LOCK)))
    assert not missing, f"[project] dependencies not pinned in {RUNTIME_LOCK.name}: {missing}"


def test_every_dev_extra_is_pinned_in_the_dev_lock():
    dev_extras = requirement_names(PYPROJECT["project"]["optional-dependencies"]["dev"])
    assert "pytest" in dev_extras
    missing = sorted(dev_extras - set(read_pins(DEV_LOCK)))
    assert not missing, f"dev extras not pinned in {DEV_LOCK.name}: {missing}"

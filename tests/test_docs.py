"""The README stays true: every environment variable the code reads and every Fokus
command is documented there."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.management import get_commands

from fokus.env import ENV_VARS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
SOURCES = [*(ROOT / "src" / "fokus").rglob("*.py"), *(ROOT / "tests").rglob("*.py")]
ENV_READ = re.compile(
    r"""(?:environ(?:\.get)?[\[(]|env_\w+\(|getenv\()\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def test_every_environment_variable_read_by_the_code_is_in_env_vars_and_the_readme():
    read = {name for path in SOURCES for name in ENV_READ.findall(path.read_text())}
    read -= {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    assert read, "the pattern found no environment variables at all"
    missing = sorted(name for name in read | set(ENV_VARS) if f"`{name}`" not in README)
    assert not missing, f"not documented in README.md: {missing}"
    assert {n for n in read if not n.startswith(("FOKUS_TEST", "CHROMIUM", "FOKUS_REQUIRE"))} - {
        "FOKUS_TEST_LEG"
    } <= set(ENV_VARS)


def test_every_fokus_command_is_in_the_readme():
    ours = sorted(name for name, app in get_commands().items() if app.startswith("fokus"))
    assert "kpi" in ours and "serve" in ours
    missing = [name for name in ours if f"`fokus {name}" not in README]
    assert not missing, f"not documented in README.md: {missing}"


def test_the_readme_shows_the_quick_start_commands():
    quick_start = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "make demo" in quick_start and "make test" in quick_start
    assert "demo@example.com" in quick_start

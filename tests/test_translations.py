"""Danish is complete: every string the app marks for translation has a Danish
translation, and the compiled catalogue matches its source."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "fokus"
PO = PACKAGE / "locale" / "da" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# makemessages (xgettext) only finds strings marked with these names; ``_`` is a
# keyword for the singular functions only. Any other alias hides strings from it.
TRANSLATION_FUNCTIONS = {
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
UNDERSCORE_OK = {"gettext", "gettext_lazy", "gettext_noop"}


def _ids(catalog) -> dict[str, object]:
    """msgid → translation; plural translations as tuples whichever reader gave them."""
    return {
        (m.id if isinstance(m.id, str) else m.id[0]): (
            tuple(m.string) if isinstance(m.string, list | tuple) else m.string
        )
        for m in catalog
        if m.id
    }


def test_translation_functions_are_imported_under_names_makemessages_finds():
    hidden = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"):
                continue
            for alias in node.names:
                if alias.name not in TRANSLATION_FUNCTIONS or alias.asname in (None, alias.name):
                    continue
                if alias.asname == "_" and alias.name in UNDERSCORE_OK:
                    continue
                where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
                hidden.append(f"{where}: {alias.name} as {alias.asname}")
    assert not hidden, f"makemessages does not see strings marked with: {hidden}"


def test_every_danish_translation_is_filled_in_and_not_fuzzy():
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    empty = [m.id for m in catalog if m.id and (not m.string or not all(m.string))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not empty, f"untranslated: {empty}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_the_compiled_catalogue_matches_its_source():
    with PO.open("rb") as handle:
        source = _ids(read_po(handle))
    with MO.open("rb") as handle:
        compiled = _ids(read_mo(handle))
    assert compiled == source, "run: fokus compilemessages (the .mo is stale)"


def test_every_string_the_app_uses_is_in_the_catalogue(tmp_path):
    copy = tmp_path / "fokus"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "da",
            "--no-obsolete",
            "--no-location",
            "--ignore",
            "core/*",
        ],
        cwd=copy,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "", "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    with (copy / "locale" / "da" / "LC_MESSAGES" / "django.po").open("rb") as handle:
        used = set(_ids(read_po(handle)))
    with PO.open("rb") as handle:
        translated = {k for k, v in _ids(read_po(handle)).items() if v}
    missing = sorted(used - translated)
    assert not missing, f"new strings without a Danish translation: {missing}"

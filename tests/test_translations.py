"""Danish is complete: every string the app marks for translation has a Danish
translation, and the compiled catalogue matches its source."""

from __future__ import annotations

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


def _ids(catalog) -> dict[str, object]:
    """msgid → translation; plural translations as tuples whichever reader gave them."""
    return {
        (m.id if isinstance(m.id, str) else m.id[0]): (
            tuple(m.string) if isinstance(m.string, list | tuple) else m.string
        )
        for m in catalog
        if m.id
    }


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

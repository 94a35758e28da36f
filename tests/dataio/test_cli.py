from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fokus.cli import main
from fokus.kpis.models import CheckIn

pytestmark = pytest.mark.django_db

GOOD = "kpi;dato;værdi\nnye-kunder;01-02-2027;1,5\nnye-kunder;02-02-2027;2\n"


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_fokus_import_imports_a_file_and_tells_the_counts(kpi, tmp_path, today):
    path = tmp_path / "kpi.csv"
    path.write_bytes(GOOD.encode("utf-8-sig"))

    out, _err = _run(str(path))
    again, _err = _run(str(path))

    assert CheckIn.objects.count() == 2
    assert out == (
        "Importerede 2 registreringer; 0 fandtes allerede; 0 ugyldige rækker sprunget over.\n"
    )
    assert CheckIn.objects.filter(source="import").count() == 2
    assert again == (
        "Importerede 0 registreringer; 2 fandtes allerede; 0 ugyldige rækker sprunget over.\n"
    )


def test_dry_run_checks_and_imports_nothing(kpi, tmp_path, today):
    path = tmp_path / "kpi.csv"
    path.write_bytes(GOOD.encode())

    out, _err = _run(str(path), "--dry-run", "--kind", "checkins")

    assert not CheckIn.objects.exists()
    assert "2 gyldige rækker med registreringer; intet blev importeret" in out


def test_a_file_with_bad_rows_lists_them_and_imports_nothing_unless_asked(kpi, tmp_path, today):
    path = tmp_path / "kpi.csv"
    path.write_bytes((GOOD + "nye-kunder;31-02-2027;1\n").encode())

    with pytest.raises(CommandError):
        _run(str(path))
    assert not CheckIn.objects.exists()

    _run(str(path), "--valid-rows")
    assert CheckIn.objects.count() == 2


@pytest.mark.django_db(transaction=True)  # the command closes the connection when done
def test_the_command_line_prints_every_bad_row_and_one_error_line(
    kpi, tmp_path, today, capsys, settings
):
    """As a cron job runs it: exit code 1, the rows on stderr, no traceback."""
    settings.LANGUAGE_CODE = "en"
    bad = tmp_path / "bad.csv"
    long_name = "ukendt-" + "x" * 70
    bad.write_text(f"kpi;dato;værdi\nnye-kunder;01-02-2027;x\n{long_name};01-02-2027;1\n")
    good = tmp_path / "good.csv"
    good.write_text(GOOD)

    with pytest.raises(SystemExit) as failed:
        main(["import", str(bad)])
    err = capsys.readouterr().err
    main(["import", str(good)])
    out = capsys.readouterr().out

    assert failed.value.code == 1
    assert "row 2, værdi: “x” is not a number." in err
    assert f"row 3, kpi: There is no KPI “{long_name}”." in err.splitlines()  # not wrapped
    assert err.strip().splitlines()[-1].startswith("fokus: 2 of 2 rows are invalid")
    assert "Traceback" not in err
    assert out == "Imported 2 check-ins; 0 were there already; 0 invalid rows skipped.\n"
    assert CheckIn.objects.count() == 2

"""Work units and positions are imported from CSV all or nothing, with errors by row."""

import io

import pytest
from django.core.management import CommandError, call_command

from learners.imports import ImportRefused, positions_import, work_units_import
from learners.models import Position, WorkUnit

pytestmark = pytest.mark.django_db


def test_work_units_import_builds_the_tree_parents_first(provider_a):
    text = "name,parent,code\nSubbagian Diklat,Biro SDM,B1.1\nBiro SDM,,B1\n"
    result = work_units_import(organization=provider_a, text=text)
    assert result.created == 2
    assert WorkUnit.objects.get(name="Subbagian Diklat").parent.name == "Biro SDM"
    again = work_units_import(organization=provider_a, text=text)
    assert again.created == 0 and again.unchanged == 2


def test_a_bad_row_imports_nothing_and_names_the_row(provider_a):
    text = "name,parent\nBiro Umum,\n,Biro Umum\nBagian Keuangan,Biro Tidak Ada\n"
    with pytest.raises(ImportRefused) as refused:
        work_units_import(organization=provider_a, text=text)
    assert any("3" in error for error in refused.value.errors)
    assert any("Biro Tidak Ada" in error for error in refused.value.errors)
    assert not WorkUnit.objects.exists()


def test_missing_column_is_reported(provider_a):
    with pytest.raises(ImportRefused):
        work_units_import(organization=provider_a, text="nama\nBiro\n")


def test_positions_import_with_competency_standard(provider_a):
    text = 'name,competencies\nAnalis Kebijakan Ahli Muda,"M.03:3; M.08:2"\n'
    positions_import(organization=provider_a, text=text)
    position = Position.objects.get()
    assert {t.competency.code: t.target_level for t in position.competency_targets.all()} == {
        "M.03": 3,
        "M.08": 2,
    }


def test_positions_import_refuses_unknown_codes_and_bad_levels(provider_a):
    text = 'name,competencies\nAnalis,"X.99:3"\nPranata,"M.03:7"\n'
    with pytest.raises(ImportRefused) as refused:
        positions_import(organization=provider_a, text=text)
    assert len(refused.value.errors) == 2
    assert not Position.objects.exists()


# The command line (`manage.py import_org_structure`), for a whole organization's structure from
# HR's files: the same all-or-nothing import, its outcome or every error on the terminal.


def test_the_command_imports_a_windows_file_and_says_what_it_did(provider_a, tmp_path):
    units = tmp_path / "unit.csv"
    units.write_bytes("name,parent\nBiro SDM,\nSubbagian Pengembangan,Biro SDM\n".encode("cp1252"))
    output = io.StringIO()

    call_command("import_org_structure", "work-units", "lpa", str(units), stdout=output)
    call_command("import_org_structure", "work-units", "LPA", str(units), stdout=output)

    assert WorkUnit.objects.get(name="Subbagian Pengembangan").parent.name == "Biro SDM"
    assert output.getvalue().splitlines() == [
        "2 created, 0 already present.",
        "0 created, 2 already present.",
    ]


def test_the_command_refuses_a_bad_file_whole_and_lists_every_error(provider_a, tmp_path):
    positions = tmp_path / "jabatan.csv"
    positions.write_text("name,competencies\nAnalis,X.99:3\nPranata,M.01:9\n", encoding="utf-8")

    with pytest.raises(CommandError) as refused:
        call_command("import_org_structure", "positions", "LPA", str(positions))

    assert "X.99" in str(refused.value) and "M.01" in str(refused.value)
    assert not Position.objects.exists()


def test_the_command_names_what_it_cannot_find(provider_a, tmp_path):
    with pytest.raises(CommandError, match="'BKN'"):
        call_command("import_org_structure", "positions", "BKN", str(tmp_path / "a.csv"))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_org_structure", "positions", "LPA", str(tmp_path / "tidak-ada.csv"))

"""Work units and positions are imported from CSV all or nothing, with errors by row."""

import pytest

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

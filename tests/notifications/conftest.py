import pytest

from learners.factories import UserFactory


@pytest.fixture
def reader(db):
    return UserFactory(email="pembaca@instansi.go.id", full_name="Pembaca")


@pytest.fixture
def writer(db):
    return UserFactory(email="penulis@instansi.go.id", full_name="Penulis Satu")

import pytest


@pytest.fixture(autouse=True)
def _search_index(search_index):
    """Every search test indexes what it saves, as production does."""

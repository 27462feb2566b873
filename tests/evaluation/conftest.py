"""These tests read the interface's messages in their English source text."""

import pytest


@pytest.fixture(autouse=True)
def english(english_interface):
    yield

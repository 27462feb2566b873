"""The demo's packages (the `demo` extra) stay out of production: its commands import their
builders only when run, and say which extra to install when the factories are missing."""

import sys

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from courses.models import CoursePage
from demo.extra import demo_extra_missing
from demo.management.commands.generate_scale_data import SIZE_CHOICES
from demo.scale import SIZES
from learners.models import User


@pytest.fixture
def without_wagtail_factories(monkeypatch):
    """As on a production install: importing wagtail_factories fails, and the demo modules that
    import it are not loaded yet."""
    monkeypatch.setitem(sys.modules, "wagtail_factories", None)
    for name in [name for name in sys.modules if name.startswith("demo.") and "extra" not in name]:
        monkeypatch.delitem(sys.modules, name)
    for name in [name for name in sys.modules if name.endswith(".factories")]:
        monkeypatch.delitem(sys.modules, name)


@pytest.mark.parametrize(
    ("command", "options"), [("seed_demo", ["--no-accounts"]), ("generate_scale_data", [])]
)
def test_a_demo_command_without_the_demo_extra_names_it(
    without_wagtail_factories, command, options
):
    with pytest.raises(CommandError, match=r"`demo` extra.*wagtail_factories is missing"):
        call_command(command, *options)


def test_a_missing_module_outside_the_demo_extra_is_not_blamed_on_it():
    error = ModuleNotFoundError("No module named 'openpyxl'", name="openpyxl")
    with pytest.raises(ModuleNotFoundError) as raised:
        demo_extra_missing(error)
    assert raised.value is error


def test_the_size_choices_are_the_generators_sizes():
    assert tuple(SIZES) == SIZE_CHOICES


@override_settings(LENTERA_DEMO_ACCOUNTS=False)
@pytest.mark.django_db
def test_seed_demo_refuses_demo_accounts_in_production_without_force():
    with pytest.raises(CommandError, match="Refusing"):
        call_command("seed_demo")
    assert not User.objects.exists()
    assert not CoursePage.objects.exists()

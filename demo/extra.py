"""The demo builds its content with the test factories (factory-boy, wagtail-factories), which
only the `demo` extra installs: production (requirements/base.lock) leaves them out. The demo's
commands import their builders when they run, so a production install still loads every app,
and a missing extra is named instead of failing with a bare ImportError."""

from django.core.management.base import CommandError

# The import names of the packages the `demo` extra brings (Faker comes with factory-boy).
DEMO_EXTRA_MODULES = frozenset({"factory", "wagtail_factories", "faker"})


def demo_extra_missing(error: ModuleNotFoundError) -> CommandError:
    """The error for a demo builder that failed to import; any other missing module re-raises."""
    if (error.name or "").partition(".")[0] not in DEMO_EXTRA_MODULES:
        raise error
    return CommandError(
        f"The demo content needs the `demo` extra, which is not installed ({error.name} is "
        "missing). Install it with `pip install -e '.[demo]'`, or requirements/dev.lock."
    )

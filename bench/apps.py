from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark's bare baselines and commands; installed only by `lentera.settings.bench`."""

    name = "bench"
    verbose_name = "Benchmarks"
    default_auto_field = "django.db.models.BigAutoField"

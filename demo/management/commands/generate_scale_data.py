"""`generate_scale_data --size S`: the benchmark's reproducible data set (see demo.scale)."""

import time

from django.core.management.base import BaseCommand, CommandError

from demo.extra import demo_extra_missing

# The choices of --size, kept here so that `--help` works without the demo extra (the generator
# imports the factories); tests/demo/test_demo_extra.py checks they match demo.scale.SIZES.
SIZE_CHOICES = ("tiny", "S", "M", "L")


class Command(BaseCommand):
    help = f"Generate a reproducible data set at a benchmark size ({', '.join(SIZE_CHOICES)})."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=SIZE_CHOICES, default="S")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--no-index", action="store_true", help="Skip building the search index."
        )

    def handle(self, *args, size, seed, no_index, **options):
        try:
            from demo.scale import PASSWORD, generate, scale_data_exists
        except ModuleNotFoundError as error:
            raise demo_extra_missing(error) from error
        if scale_data_exists():
            raise CommandError(
                "Generated data already exists (an organization with a 'bench-' slug). "
                "Use a fresh database: the generator only adds to an empty one."
            )
        started = time.monotonic()
        report = generate(size=size, seed=seed, build_index=not no_index)
        for name, seconds, detail in report.steps:
            self.stdout.write(f"{name:<14} {seconds:8.1f} s  {detail}")
        self.stdout.write(
            f"size {size}, seed {seed}: {time.monotonic() - started:.1f} s in all; "
            f"every account's password is {PASSWORD!r}"
        )

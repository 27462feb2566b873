"""`generate_scale_data --size S`: the benchmark's reproducible data set (see demo.scale)."""

import time

from django.core.management.base import BaseCommand, CommandError

from demo.scale import PASSWORD, SIZES, generate, scale_data_exists


class Command(BaseCommand):
    help = "Generate a reproducible data set at a benchmark size (tiny, S, M, L)."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=list(SIZES), default="S")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--no-index", action="store_true", help="Skip building the search index."
        )

    def handle(self, *args, size, seed, no_index, **options):
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

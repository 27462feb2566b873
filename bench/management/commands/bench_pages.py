"""`make bench`: the page benchmark (see bench.pages). Generates the data set first when the
database has none; exits non-zero when a deterministic budget breaks."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import pages
from demo.scale import SIZES, generate, scale_data_exists
from learners.models import User


class Command(BaseCommand):
    help = "Benchmark the key pages on a generated data set; non-zero exit on a broken budget."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=list(SIZES), default="S")
        parser.add_argument("--repeat", type=int, default=30, help="Timed requests per page.")
        parser.add_argument(
            "--output", default="", help="JSON file (default bench/results/<size>-<time>.json)."
        )

    def handle(self, *args, size, repeat, output, **options):
        if settings.DEBUG:
            raise CommandError(
                "Run with DJANGO_SETTINGS_MODULE=lentera.settings.bench (DEBUG off)."
            )
        learners = SIZES[size].learners
        if not scale_data_exists():
            self.stdout.write(f"Generating the {size} data set into {connection.vendor}…")
            for name, seconds, detail in generate(size=size).steps:
                self.stdout.write(f"  {name:<14} {seconds:7.1f} s  {detail}")
        elif User.objects.filter(email__endswith="@bench.lentera.id").count() != learners:
            raise CommandError(
                f"This database holds a data set of another size than {size}. "
                "Use another database (DATABASE_URL) or the size it was generated with."
            )
        self.stdout.write(f"Measuring ({repeat} timed requests per page)…")
        result = pages.run(size=size, repeat=repeat, out=self.stdout.write)
        self.stdout.write("")
        self.stdout.write(pages.markdown(result))
        for miss in result.goal_misses:
            self.stdout.write(self.style.WARNING(f"Goal missed (reported, not gated): {miss}"))
        path = Path(output) if output else (
            Path(settings.BASE_DIR) / "bench" / "results"
            / f"pages-{size}-{connection.vendor}-{result.started_at[:19].replace(':', '')}.json"
        )  # fmt: skip
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n")
        self.stdout.write(f"\nResults: {path}")
        if result.budget_failures:
            for failure in result.budget_failures:
                self.stderr.write(self.style.ERROR(f"Budget broken: {failure}"))
            raise CommandError(f"{len(result.budget_failures)} budget(s) broken.")
        self.stdout.write(self.style.SUCCESS("Every budget holds."))

"""`make bench-browser`: the browser benchmark (see bench.browser). Generates the data set first
when the database has none; exits non-zero when a budget breaks."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import browser
from demo.scale import SIZES, generate, scale_data_exists
from learners.models import User


class Command(BaseCommand):
    help = (
        "Lesson bytes (first and repeat visit), time to lesson text on an emulated slow link and "
        "Lighthouse mobile scores in Chromium; non-zero exit on a broken budget."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=list(SIZES), default="S")
        parser.add_argument(
            "--rounds", type=int, default=5, help="Slow-link rounds per page (interleaved)."
        )
        parser.add_argument(
            "--lighthouse-runs", type=int, default=3, help="Lighthouse runs per page (median)."
        )
        parser.add_argument(
            "--output",
            default="",
            help="JSON file (default bench/results/browser-<size>-<time>.json).",
        )

    def handle(self, *args, size, rounds, lighthouse_runs, output, **options):
        if settings.DEBUG:
            raise CommandError(
                "Run with DJANGO_SETTINGS_MODULE=lentera.settings.bench (DEBUG off)."
            )
        if not scale_data_exists():
            self.stdout.write(f"Generating the {size} data set into {connection.vendor}…")
            for name, seconds, detail in generate(size=size).steps:
                self.stdout.write(f"  {name:<14} {seconds:7.1f} s  {detail}")
        elif (
            User.objects.filter(email__endswith="@bench.lentera.id").count() != SIZES[size].learners
        ):
            raise CommandError(
                f"This database holds a data set of another size than {size}. "
                "Use another database (DATABASE_URL) or the size it was generated with."
            )
        try:
            result = browser.run(
                size=size, rounds=rounds, lighthouse_runs=lighthouse_runs, out=self.stdout.write
            )
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        table = browser.markdown(result)
        self.stdout.write("")
        self.stdout.write(table)
        for miss in result.goal_misses:
            self.stdout.write(self.style.WARNING(f"Goal missed (reported, not gated): {miss}"))
        results = Path(settings.BASE_DIR) / "bench" / "results"
        path = Path(output) if output else (
            results / f"browser-{size}-{result.started_at[:19].replace(':', '')}.json"
        )  # fmt: skip
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n"
        path.write_text(payload)
        # The newest run, kept in the repository beside the README's figures.
        (results / "browser-latest.json").write_text(payload)
        (results / "browser-latest.md").write_text(table + "\n")
        self.stdout.write(f"\nResults: {path}, bench/results/browser-latest.md")
        if result.budget_failures:
            for failure in result.budget_failures:
                self.stderr.write(self.style.ERROR(f"Budget broken: {failure}"))
            raise CommandError(f"{len(result.budget_failures)} budget(s) broken.")
        self.stdout.write(self.style.SUCCESS("Every browser budget holds."))

"""`make bench`: the page benchmark (see bench.pages). Generates the data set first when the
database has none; exits non-zero when a deterministic budget breaks, or a gated ratio goal is
missed in a run of enough rounds (bench.budgets)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import budgets, pages
from demo.scale import SIZES, generate, scale_data_exists
from learners.models import User


class Command(BaseCommand):
    help = "Benchmark the key pages on a generated data set; non-zero exit on a broken budget."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=list(SIZES), default="S")
        parser.add_argument(
            "--repeat",
            type=int,
            default=30,
            help="Timed rounds: each requests every page once (shuffled) beside a bare page.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Seed of the rounds' order.")
        parser.add_argument(
            "--output", default="", help="JSON file (default bench/results/<size>-<time>.json)."
        )

    def handle(self, *args, size, repeat, seed, output, **options):
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
        if repeat < 1:
            raise CommandError("--repeat must be at least 1.")
        self.stdout.write(f"Measuring ({repeat} timed rounds, seed {seed})…")
        result = pages.run(size=size, repeat=repeat, seed=seed, out=self.stdout.write)
        self.stdout.write("")
        self.stdout.write(pages.markdown(result))
        self.stdout.write("")
        if not result.time_gated:
            self.stdout.write(
                f"Ratio goals not gated in this run: {repeat} rounds, gated from "
                f"{budgets.MIN_GATED_ROUNDS} (deterministic budgets are)."
            )
        for met in result.goals_met:
            self.stdout.write(self.style.SUCCESS(f"Goal met: {met}"))
        for miss in result.goal_misses:
            self.stdout.write(self.style.WARNING(f"Goal missed: {miss}"))
        path = Path(output) if output else (
            Path(settings.BASE_DIR) / "bench" / "results"
            / f"pages-{size}-{connection.vendor}-{result.started_at[:19].replace(':', '')}.json"
        )  # fmt: skip
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n")
        self.stdout.write(f"\nResults: {path}")
        for failure in result.budget_failures:
            self.stderr.write(self.style.ERROR(f"Budget broken: {failure}"))
        for failure in result.time_failures:
            self.stderr.write(self.style.ERROR(f"Gated goal missed: {failure}"))
        broken = len(result.budget_failures) + len(result.time_failures)
        if broken:
            raise CommandError(f"{broken} budget(s) or gated goal(s) broken.")
        self.stdout.write(self.style.SUCCESS("Every budget and every gated goal holds."))

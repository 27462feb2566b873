from django.core.management.base import BaseCommand

from learners.models import Enrollment
from learners.progress import recount_progress


class Command(BaseCommand):
    help = (
        "Count every enrollment's stored progress again from its completions and its course's "
        "live required lessons (a repair: the completion service and the lesson hooks keep it "
        "up to date; completions written outside them, by hand or in bulk, are not counted)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--course", type=int, help="Only the enrollments of this course id.")

    def handle(self, *args, course: int | None = None, **options):
        rows = Enrollment.objects.filter(course_id=course) if course else None
        updated = recount_progress(rows)
        self.stdout.write(f"{updated} enrollment(s) counted.")

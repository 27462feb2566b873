from django.core.management.base import BaseCommand
from django.utils import timezone

from learners.services import enrollments_expire
from learners.task_queue import tasks_stuck_requeue


class Command(BaseCommand):
    help = (
        "Lentera's time-based work, run once a day by cron or a systemd timer: marks "
        "certificates past their validity as due for recertification, and queues the "
        "supervisors' follow-up e-mails (Kirkpatrick level 3) that fell due, removes cohort "
        "invitations long expired, and puts back in the queue background tasks whose worker "
        "died. Idempotent."
    )

    def handle(self, *args, **options):
        # The command is where the apps meet, like site/: learners itself never imports
        # assessments, so the import stays here.
        from assessments.evaluation_services import behaviour_followups_schedule
        from cohorts.invitations import invitations_expired_remove

        today = timezone.localdate()
        expired = enrollments_expire(today=today)
        self.stdout.write(f"{today}: {expired} enrollment(s) now due for recertification.")
        followups = behaviour_followups_schedule()
        self.stdout.write(
            f"{today}: {followups.created} supervisor follow-up(s) created, "
            f"{followups.queued} e-mail(s) queued."
        )
        expired, removed = invitations_expired_remove()
        self.stdout.write(
            f"{today}: {expired} cohort invitation(s) expired and listed, "
            f"{removed} removed after LENTERA_INVITATION_DAYS more days."
        )
        lost = tasks_stuck_requeue()
        self.stdout.write(
            f"{today}: {lost.requeued} task(s) whose worker died requeued, "
            f"{lost.failed} failed for good."
        )

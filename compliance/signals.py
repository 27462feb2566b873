"""What makes an organization's cached compliance figures stale (see `compliance.cache`): each
change forgets them and queues their count again once committed (`compliance.tasks`)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from compliance.cache import PERSON_FIELDS, organization_changed
from compliance.tasks import compliance_figures_refresh_on_commit
from development.models import DevelopmentRecord
from learners.models import Certificate, User
from learners.progress import course_completed


def _changed(organization_id: int | None) -> None:
    organization_changed(organization_id)
    compliance_figures_refresh_on_commit(organization_id)


def _organization_of(user_id: int) -> int | None:
    return User.objects.filter(pk=user_id).values_list("organization_id", flat=True).first()


@receiver(course_completed, dispatch_uid="compliance_course_completed")
def on_course_completed(sender, enrollment, **kwargs) -> None:
    _changed(_organization_of(enrollment.user_id))


@receiver(post_save, sender=Certificate, dispatch_uid="compliance_certificate_saved")
def on_certificate_saved(sender, instance, created, **kwargs) -> None:
    if not created:  # issued with the completion, which already told
        _changed(
            User.objects.filter(enrollments__certificate=instance)
            .values_list("organization_id", flat=True)
            .first()
        )


@receiver(post_save, sender=DevelopmentRecord, dispatch_uid="compliance_record_saved")
def on_record_saved(sender, instance, **kwargs) -> None:
    _changed(_organization_of(instance.owner_id))


@receiver(post_save, sender=User, dispatch_uid="compliance_person_saved")
def on_person_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    if created or update_fields is None or PERSON_FIELDS.intersection(update_fields):
        _changed(instance.organization_id)

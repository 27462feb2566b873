"""A person invited to a cohort before they had an account joins it when the account appears."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from learners.models import User


@receiver(post_save, sender=User, dispatch_uid="cohorts_accept_invitations")
def accept_invitations_on_signup(sender, instance: User, created: bool, raw: bool = False, **kw):
    if created and not raw:
        from cohorts.services import invitations_accept

        user_id = instance.pk
        transaction.on_commit(lambda: invitations_accept(user=User.objects.get(pk=user_id)))

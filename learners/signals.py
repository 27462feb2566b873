"""allauth's account events that prove something about a person (see learners.membership)."""

from allauth.account.signals import email_confirmed
from django.dispatch import receiver


@receiver(email_confirmed, dispatch_uid="learners_email_confirmed")
def on_email_confirmed(sender, request, email_address, **kwargs) -> None:
    # Every way allauth verifies an address (the link, a code, the admin) sends this signal.
    from learners.membership import email_verified

    email_verified(user=email_address.user)

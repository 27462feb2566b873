"""Personal data protection (UU 27/2022, "UU PDP"): the record of accounts erased at their
holder's request. The audit log of who processed whose data lives in the audit app.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountErasure(models.Model):
    """An account erased at its holder's request (the right to erasure, UU PDP art. 8).

    The user row stays, anonymised, so enrollments and completions keep counting in aggregate
    statistics; this row tells the certificate verification page that the holder's name was
    removed on purpose.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="erasure",
    )
    erased_at = models.DateTimeField(_("erased at"), auto_now_add=True)

    class Meta:
        verbose_name = _("erased account")
        verbose_name_plural = _("erased accounts")

    def __str__(self):
        return f"{self.user_id} ({self.erased_at:%Y-%m-%d})"

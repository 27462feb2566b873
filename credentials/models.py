"""Signing keys of each organization and the Open Badges credential of each certificate."""

import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from content.models import Organization
from learners.models import Certificate
from paths.models import PathCertificate


def _new_key_id() -> str:
    return secrets.token_hex(8)


class IssuerKey(models.Model):
    """An organization's Ed25519 key pair. One is active; retired keys stay published on the
    issuer profile so that the credentials they signed still verify."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("organization")
    )
    key_id = models.CharField(max_length=32, unique=True, default=_new_key_id)
    public_key_multibase = models.CharField(max_length=80)
    # Fernet token of the raw private key, its key derived from LENTERA_CREDENTIALS_SECRET (or
    # SECRET_KEY): a database dump alone cannot sign (README, "Open Badges 3.0 credentials").
    private_key_encrypted = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organization_id", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(retired_at__isnull=True),
                name="issuer_key_one_active",
            )
        ]
        verbose_name = _("issuer key")
        verbose_name_plural = _("issuer keys")

    def __str__(self):
        return self.key_id


class Credential(models.Model):
    """The OpenBadgeCredential of one certificate (course or path), signed once and kept, with
    its place in its organization's revocation status list."""

    certificate = models.OneToOneField(
        Certificate, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    path_certificate = models.OneToOneField(
        PathCertificate, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    # Its bit in the organization's status lists (list = index // STATUS_LIST_SIZE).
    status_index = models.PositiveIntegerField()
    # Opaque ids: the subject is never identified by e-mail or NIP.
    credential_uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subject_uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    document = models.JSONField()
    key = models.ForeignKey(IssuerKey, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "status_index"], name="credential_status_index_once"
            ),
            models.CheckConstraint(
                condition=Q(certificate__isnull=False, path_certificate__isnull=True)
                | Q(certificate__isnull=True, path_certificate__isnull=False),
                name="credential_one_certificate",
            ),
        ]
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")

    def __str__(self):
        return str(self.credential_uuid)

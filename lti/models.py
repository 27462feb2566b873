"""LTI 1.3: the platforms (other LMSs) an administrator registered, the tool's own key pair,
the LTI identities linked to Lentera accounts, the nonces already used, and the grade links
(a platform's line item for a person and a course) that completions are sent back to.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Platform(models.Model):
    """A platform (an agency's Moodle, for instance) allowed to launch Lentera courses."""

    name = models.CharField(_("name"), max_length=200)
    issuer = models.CharField(
        _("issuer"),
        max_length=255,
        help_text=_("The platform's `iss`, e.g. https://lms.example.go.id"),
    )
    client_id = models.CharField(
        _("client ID"), max_length=255, help_text=_("The client ID the platform gave Lentera.")
    )
    auth_login_url = models.URLField(_("authentication request URL"), max_length=500)
    auth_token_url = models.URLField(_("access token URL"), max_length=500)
    auth_audience = models.CharField(
        _("token audience"),
        max_length=500,
        blank=True,
        help_text=_("Only if the platform asks for another audience than its token URL."),
    )
    key_set_url = models.URLField(
        _("key set URL"), max_length=500, blank=True, help_text=_("The platform's JWKS URL.")
    )
    key_set = models.JSONField(
        _("key set"),
        null=True,
        blank=True,
        help_text=_("The platform's public keys as a JWKS, when it publishes no key set URL."),
    )
    deployment_ids = models.TextField(
        _("deployment IDs"),
        help_text=_("One per line: launches from any other deployment are refused."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("LTI platform")
        verbose_name_plural = _("LTI platforms")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "client_id"], name="lti_platform_unique")
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if not self.key_set_url and not self.key_set:
            raise ValidationError(_("Give the platform's key set URL or its key set."))
        if self.key_set is not None and not (
            isinstance(self.key_set, dict) and isinstance(self.key_set.get("keys"), list)
        ):
            raise ValidationError({"key_set": _('A key set is a JSON object with a "keys" list.')})
        if not self.deployment_id_list():
            raise ValidationError({"deployment_ids": _("Give at least one deployment ID.")})

    def deployment_id_list(self) -> list[str]:
        return [line.strip() for line in (self.deployment_ids or "").splitlines() if line.strip()]


class ToolKey(models.Model):
    """Lentera's own RSA key pair: its public half is published at /lti/jwks/; the private half
    signs deep linking responses and the client-credentials assertions of AGS."""

    kid = models.CharField(_("key ID"), max_length=64, unique=True)
    private_key_pem = models.TextField(_("private key"))
    public_key_pem = models.TextField(_("public key"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("LTI tool key")
        verbose_name_plural = _("LTI tool keys")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.kid


class Identity(models.Model):
    """An LTI user (a platform's issuer and `sub`) linked to a Lentera account, by that
    person signing in to the account (or creating it) on their first launch."""

    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.CASCADE, related_name="identities"
    )
    sub = models.CharField(_("subject"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="lti_identities",
    )
    linked_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("LTI identity")
        verbose_name_plural = _("LTI identities")
        constraints = [
            models.UniqueConstraint(fields=["platform", "sub"], name="lti_identity_unique")
        ]

    def __str__(self):
        return f"{self.platform} / {self.sub}"


class UsedNonce(models.Model):
    """A launch's nonce, kept so that the same id_token (or another with its nonce) is refused."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=255)
    used_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["platform", "nonce"], name="lti_nonce_unique")
        ]

    def __str__(self):
        return self.nonce


class GradeLink(models.Model):
    """Where a person's score and completion of a course go back to: the platform's line item
    from the launch's AGS claim, for the LTI user `sub`."""

    identity = models.ForeignKey(
        Identity, verbose_name=_("identity"), on_delete=models.CASCADE, related_name="grade_links"
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    deployment_id = models.CharField(_("deployment ID"), max_length=255)
    lineitem_url = models.URLField(_("line item URL"), max_length=1000)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("LTI grade link")
        verbose_name_plural = _("LTI grade links")
        constraints = [
            models.UniqueConstraint(
                fields=["identity", "course", "lineitem_url"], name="lti_grade_link_unique"
            )
        ]

    def __str__(self):
        return f"{self.identity} / {self.course_id}"

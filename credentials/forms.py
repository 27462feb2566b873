from django import forms
from django.utils.translation import gettext_lazy as _

from credentials.verification import MAX_UPLOAD_BYTES, CredentialRefused, credential_parse


class CredentialVerifyForm(forms.Form):
    """A credential pasted as JSON, or uploaded as a JSON file or a baked PNG badge."""

    credential = forms.CharField(
        label=_("Paste the credential (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )
    file = forms.FileField(
        label=_("Or choose the credential file (JSON or PNG badge)"), required=False
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        try:
            if upload:
                # One byte past the limit is enough to refuse it as too large.
                cleaned["document"] = credential_parse(data=upload.read(MAX_UPLOAD_BYTES + 1))
            else:
                cleaned["document"] = credential_parse(text=cleaned.get("credential", ""))
        except CredentialRefused as error:
            raise forms.ValidationError(error.message, code=error.code) from error
        return cleaned

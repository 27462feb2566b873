"""Credential verification in the learner API (/api/v1/), public: a pasted credential as the
JSON body, or an uploaded file (JSON or baked PNG badge). A router `lentera.learner_api` adds."""

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from core.api import INVALID_INPUT, ErrorOut
from credentials.verification import (
    MAX_UPLOAD_BYTES,
    CredentialCheck,
    CredentialRefused,
    credential_parse,
    credential_verify,
)

router = Router(tags=["credentials"])


class CredentialCheckOut(Schema):
    status: str
    valid: bool
    detail: str
    name: str
    issuer_name: str
    valid_from: datetime | None
    valid_until: datetime | None
    certificate_url: str


def _out(check: CredentialCheck) -> dict:
    return {
        "status": check.status.value,
        "valid": check.is_valid,
        "detail": check.detail,
        "name": check.name,
        "issuer_name": check.issuer_name,
        "valid_from": check.valid_from,
        "valid_until": check.valid_until,
        "certificate_url": check.certificate_url,
    }


def _refused(error: CredentialRefused):
    return Status(400, {"code": error.code, "detail": error.message})


@router.post(
    "/credentials/verify",
    response={200: CredentialCheckOut, **INVALID_INPUT, 413: ErrorOut},
    auth=None,
    summary="Verify an Open Badges 3.0 credential (public; the body is the credential)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
def verify_credential(request):
    # The body is read here, not by a schema: a credential's shape is checked by
    # credential_check_shape, and refusals need their own codes.
    if request.content_type != "application/json":
        return _refused(
            CredentialRefused("not_json", _("Send the credential as application/json."))
        )
    try:
        document = credential_parse(data=request.body)
    except CredentialRefused as error:
        return _refused(error)
    return _out(credential_verify(document))


@router.post(
    "/credentials/verify/file",
    response={200: CredentialCheckOut, **INVALID_INPUT, 413: ErrorOut},
    auth=None,
    summary="Verify an uploaded Open Badges 3.0 credential (JSON file or baked PNG badge)",
)
def verify_credential_file(request, file: File[UploadedFile]):
    try:
        document = credential_parse(data=file.read(MAX_UPLOAD_BYTES + 1))
    except CredentialRefused as error:
        return _refused(error)
    return _out(credential_verify(document))

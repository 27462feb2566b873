"""Verifying a pasted or uploaded credential without trusting it: the signing key is looked up
in Lentera's own database by the proof's verificationMethod (never taken from the document),
the issuer must be that key's organization, and revocation is read from the certificate itself.

Bad input (too big, not JSON, not a credential, a context Lentera does not bundle, the wrong
type) raises `CredentialRefused` with a message for the user; a well-formed credential that does
not hold up gets a `CredentialCheck` saying why."""

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credentials import addresses
from credentials.baking import NotABakedBadge, baked_credential_text
from credentials.jsonld import CREDENTIALS_V2, KNOWN_CONTEXTS, UnknownContext
from credentials.models import Credential, IssuerKey
from credentials.proofs import CRYPTOSUITE, proof_verify, public_key_from_multibase

# A credential Lentera issues is about 4 KB; a baked badge about 15 KB.
MAX_CREDENTIAL_BYTES = 64 * 1024
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# Canonicalization costs grow with blank nodes: refuse documents far beyond what we issue.
_MAX_OBJECTS = 200
_MAX_DEPTH = 12


class CredentialRefused(ValueError):
    """Input that is not a credential Lentera can check; `code` is stable, the message is for
    people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class CheckStatus(models.TextChoices):
    VALID = "valid", gettext_lazy("Valid")
    REVOKED = "revoked", gettext_lazy("Revoked")
    EXPIRED = "expired", gettext_lazy("Expired")
    NOT_YET_VALID = "not_yet_valid", gettext_lazy("Not yet valid")
    UNKNOWN_KEY = "unknown_key", gettext_lazy("Not signed by a Lentera issuer")
    INVALID = "invalid", gettext_lazy("Not genuine")


@dataclass(frozen=True)
class CredentialCheck:
    """The verdict, and what the credential claims once its signature holds."""

    status: CheckStatus
    detail: str
    name: str = ""
    issuer_name: str = ""
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    certificate_url: str = ""

    @property
    def is_valid(self) -> bool:
        return self.status == CheckStatus.VALID


def _too_complex(value, depth: int = 0, counter: list | None = None) -> bool:
    counter = [0] if counter is None else counter
    if depth > _MAX_DEPTH:
        return True
    if isinstance(value, dict):
        counter[0] += 1
        children = value.values()
    elif isinstance(value, list):
        children = value
    else:
        return False
    return counter[0] > _MAX_OBJECTS or any(_too_complex(v, depth + 1, counter) for v in children)


def credential_parse(*, text: str | None = None, data: bytes | None = None) -> dict:
    """A credential from pasted text or an uploaded file (JSON, or a baked PNG badge)."""
    if data is not None:
        if len(data) > MAX_UPLOAD_BYTES:
            raise CredentialRefused(
                "too_large", _("The file is too large: a credential file is at most 2 MB.")
            )
        if data.startswith(b"\x89PNG"):
            try:
                text = baked_credential_text(data)
            except NotABakedBadge as error:
                raise CredentialRefused(
                    "not_baked",
                    _("This PNG image carries no Open Badges credential."),
                ) from error
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise CredentialRefused(
                    "not_json", _("The file is neither a JSON credential nor a PNG badge.")
                ) from error
    text = (text or "").strip()
    if not text:
        raise CredentialRefused("empty", _("Paste a credential or choose a file."))
    if len(text.encode("utf-8")) > MAX_CREDENTIAL_BYTES:
        raise CredentialRefused(
            "too_large", _("The credential is too large: at most 64 KB of JSON.")
        )
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise CredentialRefused("not_json", _("This is not valid JSON.")) from error
    return credential_check_shape(document)


def credential_check_shape(document) -> dict:
    """Refuse what is not an Open Badges credential before any JSON-LD processing."""
    if not isinstance(document, dict) or _too_complex(document):
        raise CredentialRefused("not_credential", _("This is not a verifiable credential."))
    contexts = document.get("@context")
    if isinstance(contexts, str):
        contexts = [contexts]
    if not isinstance(contexts, list) or not contexts or contexts[0] != CREDENTIALS_V2:
        raise CredentialRefused(
            "not_credential",
            _("This is not a verifiable credential (VC Data Model 2.0 context missing)."),
        )
    unknown = [c for c in contexts if not isinstance(c, str) or c not in KNOWN_CONTEXTS]
    if unknown:
        raise CredentialRefused(
            "unknown_context",
            _("The credential uses a JSON-LD context Lentera does not know: %(context)s")
            % {"context": str(unknown[0])[:200]},
        )
    types = document.get("type")
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or not {"VerifiableCredential", "OpenBadgeCredential"} <= {
        t for t in types if isinstance(t, str)
    }:
        raise CredentialRefused(
            "wrong_type",
            _("This credential is not an Open Badges credential (OpenBadgeCredential)."),
        )
    proof = document.get("proof")
    if not isinstance(proof, dict):
        raise CredentialRefused("no_proof", _("The credential is not signed (it has no proof)."))
    return document


def _parse_datetime(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _invalid(detail: str) -> CredentialCheck:
    return CredentialCheck(status=CheckStatus.INVALID, detail=detail)


def _key(method) -> IssuerKey | None:
    if not isinstance(method, str) or "#key-" not in method:
        return None
    key_id = method.rsplit("#key-", 1)[1]
    key = IssuerKey.objects.select_related("organization").filter(key_id=key_id[:32]).first()
    if (
        key is None
        or addresses.verification_method_url(key.organization.slug, key.key_id) != method
    ):
        return None
    return key


def credential_verify(document: dict) -> CredentialCheck:
    """Check signature, issuer, revocation and validity period of a parsed credential."""
    proof = document["proof"]
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        return _invalid(_("The proof is not an eddsa-rdfc-2022 Data Integrity proof."))
    if proof.get("proofPurpose") != "assertionMethod":
        return _invalid(_("The proof is not made for issuing credentials (assertionMethod)."))
    key = _key(proof.get("verificationMethod"))
    if key is None:
        return CredentialCheck(
            status=CheckStatus.UNKNOWN_KEY,
            detail=_("The credential is not signed with a key of an organization on Lentera."),
        )
    public_key: Ed25519PublicKey = public_key_from_multibase(key.public_key_multibase)
    try:
        genuine = proof_verify(document, public_key=public_key)
    except UnknownContext:
        genuine = False
    except Exception:  # noqa: BLE001 - pyld raises many kinds on hostile JSON-LD
        genuine = False
    if not genuine:
        return _invalid(_("The signature does not match: the credential was changed or forged."))
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer_id != addresses.issuer_url(key.organization.slug):
        return _invalid(_("The issuer named in the credential does not own the signing key."))
    created = _parse_datetime(proof.get("created"))
    if key.retired_at and (created is None or created > key.retired_at):
        return _invalid(_("The credential was signed with a key after it was retired."))
    valid_from = _parse_datetime(document.get("validFrom"))
    valid_until = _parse_datetime(document.get("validUntil"))
    claims = {
        "name": str(document.get("name", ""))[:255],
        "issuer_name": key.organization.name,
        "valid_from": valid_from,
        "valid_until": valid_until,
    }
    credential = (
        Credential.objects.select_related("certificate", "path_certificate")
        .filter(credential_uuid=_uuid(document.get("id")), organization=key.organization)
        .first()
    )
    if credential is None:
        return CredentialCheck(
            status=CheckStatus.REVOKED,
            detail=_("The issuer no longer holds this credential's certificate."),
            **claims,
        )
    claims["certificate_url"] = _certificate_url(credential)
    if credential.certificate is not None and credential.certificate.revoked_at is not None:
        return CredentialCheck(
            status=CheckStatus.REVOKED,
            detail=_("The issuer revoked this certificate."),
            **claims,
        )
    now = timezone.now()
    if valid_from and valid_from > now:
        return CredentialCheck(
            status=CheckStatus.NOT_YET_VALID, detail=_("The credential is not valid yet."), **claims
        )
    if valid_until and valid_until < now:
        return CredentialCheck(
            status=CheckStatus.EXPIRED, detail=_("The credential has expired."), **claims
        )
    return CredentialCheck(
        status=CheckStatus.VALID,
        detail=_("Genuine: signed by the issuer, not revoked and within its validity."),
        **claims,
    )


def _uuid(value) -> uuid.UUID | None:
    if isinstance(value, str) and value.startswith("urn:uuid:"):
        try:
            return uuid.UUID(value[9:])
        except ValueError:
            return None
    return None


def _certificate_url(credential: Credential) -> str:
    if credential.certificate is not None:
        return addresses.absolute("learners:certificate_verify", credential.certificate.code)
    return addresses.absolute("paths:certificate_verify", credential.path_certificate.code)

"""Organizations' signing keys: created on first use, the private half encrypted at rest and
never sent anywhere, rotated without breaking what older keys signed."""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from content.models import Organization
from credentials.models import IssuerKey
from credentials.proofs import public_key_multibase


def _fernet() -> Fernet:
    # A key of its own derived from the secret (HKDF with a purpose label), so that the secret is
    # never used directly and other uses of SECRET_KEY cannot produce it.
    secret = settings.LENTERA_CREDENTIALS_SECRET or settings.SECRET_KEY
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"lentera credentials signing keys"
    ).derive(secret.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(derived))


def _create(organization: Organization) -> IssuerKey:
    private_key = Ed25519PrivateKey.generate()
    raw = private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    key = IssuerKey(
        organization=organization,
        public_key_multibase=public_key_multibase(private_key.public_key()),
        private_key_encrypted=_fernet().encrypt(raw).decode("ascii"),
    )
    key.full_clean()
    key.save()
    return key


def issuer_key_active(*, organization: Organization) -> IssuerKey:
    """The organization's active key, created on first use (two first uses at once keep one)."""
    key = IssuerKey.objects.filter(organization=organization, retired_at__isnull=True).first()
    if key is not None:
        return key
    try:
        with transaction.atomic():
            return _create(organization)
    except IntegrityError:
        return IssuerKey.objects.get(organization=organization, retired_at__isnull=True)


@transaction.atomic
def issuer_key_rotate(*, organization: Organization) -> IssuerKey:
    """Retire the active key (it stays published) and create a new one."""
    IssuerKey.objects.filter(organization=organization, retired_at__isnull=True).update(
        retired_at=timezone.now()
    )
    return _create(organization)


def issuer_key_private(key: IssuerKey) -> Ed25519PrivateKey:
    """The private key, decrypted only in memory to sign. Raises InvalidToken when the secret
    changed since the key was made (then rotate: the public key stays published)."""
    raw = _fernet().decrypt(key.private_key_encrypted.encode("ascii"))
    return Ed25519PrivateKey.from_private_bytes(raw)


def issuer_key_signing(*, organization: Organization) -> tuple[IssuerKey, Ed25519PrivateKey]:
    """The active key and its private half; a key the current secret cannot open is retired and
    replaced, so a rotated secret never stops issuing."""
    key = issuer_key_active(organization=organization)
    try:
        return key, issuer_key_private(key)
    except InvalidToken:
        key = issuer_key_rotate(organization=organization)
        return key, issuer_key_private(key)

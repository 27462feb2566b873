"""pylti1p3's view of Lentera's registrations: the tool configuration it asks for platforms and
deployments, and the tool's own key pair (generated on first need, published at /lti/jwks/).

An unknown issuer, client ID or deployment ID finds nothing here, so pylti1p3 refuses the launch
(django-lti, built on the same library, would create the unknown deployment instead).
"""

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import IntegrityError, transaction
from jwcrypto.jwk import JWK
from pylti1p3.deployment import Deployment
from pylti1p3.registration import Registration
from pylti1p3.tool_config.abstract import ToolConfAbstract

from lti.models import Platform, ToolKey

#: Seconds Lentera waits for a platform (its key set, token and line item endpoints).
PLATFORM_TIMEOUT = 10


class PlatformSession(requests.Session):
    """pylti1p3 calls platforms without a timeout: a slow one must not hold a worker."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", PLATFORM_TIMEOUT)
        return super().request(*args, **kwargs)


def tool_key() -> ToolKey:
    """The active key pair, created the first time one is needed."""
    key = ToolKey.objects.filter(is_active=True).first()
    if key is not None:
        return key
    return tool_key_rotate()


def tool_key_rotate() -> ToolKey:
    """A new active key pair; the older ones stay published (inactive keys are not)."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    kid = JWK.from_pem(public_pem.encode()).thumbprint()
    try:
        with transaction.atomic():
            return ToolKey.objects.create(
                kid=kid, private_key_pem=private_pem, public_key_pem=public_pem
            )
    except IntegrityError:  # pragma: no cover - a 2048-bit thumbprint collision
        return ToolKey.objects.get(kid=kid)


def tool_jwks() -> dict:
    """The published key set: every active key of the tool."""
    return {
        "keys": [
            Registration.get_jwk(key.public_key_pem)
            for key in ToolKey.objects.filter(is_active=True)
        ]
    }


def registration_of(platform: Platform) -> Registration:
    key = tool_key()
    registration = (
        Registration()
        .set_issuer(platform.issuer)
        .set_client_id(platform.client_id)
        .set_auth_login_url(platform.auth_login_url)
        .set_auth_token_url(platform.auth_token_url)
        .set_tool_private_key(key.private_key_pem)
        .set_tool_public_key(key.public_key_pem)
    )
    if platform.auth_audience:
        registration.set_auth_audience(platform.auth_audience)
    if platform.key_set:
        registration.set_key_set(platform.key_set)
    else:
        registration.set_key_set_url(platform.key_set_url)
    return registration


class ToolConfig(ToolConfAbstract):
    """Registrations from `Platform` rows (active ones only); `platform` is the one found."""

    def __init__(self):
        super().__init__()
        self.platform: Platform | None = None

    def check_iss_has_one_client(self, iss):
        return False

    def check_iss_has_many_clients(self, iss):
        return True

    def _found(self, platforms) -> Registration | None:
        platforms = list(platforms[:2])
        if len(platforms) != 1:
            return None
        self.platform = platforms[0]
        return registration_of(self.platform)

    def find_registration_by_issuer(self, iss, *args, **kwargs):
        # OIDC login without client_id: only an issuer with one registration is found.
        return self._found(Platform.objects.filter(is_active=True, issuer=iss))

    def find_registration_by_params(self, iss, client_id, *args, **kwargs):
        return self._found(
            Platform.objects.filter(is_active=True, issuer=iss, client_id=client_id or "")
        )

    def find_deployment(self, iss, deployment_id):
        return None

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        platform = self.platform
        if (
            platform is None
            or platform.issuer != iss
            or platform.client_id != client_id
            or not deployment_id
            or deployment_id not in platform.deployment_id_list()
        ):
            return None
        return Deployment().set_deployment_id(deployment_id)

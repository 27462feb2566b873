"""Issuing credentials: a certificate's OpenBadgeCredential is built and signed on its first
download and kept (the certificate is frozen, so is its credential); the status lists are signed
when asked for and kept in the cache until a revocation changes them."""

import hashlib

from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from wagtail.models import Page

from content.models import Organization
from credentials import addresses, documents
from credentials.keys import issuer_key_signing
from credentials.models import Credential
from credentials.proofs import proof_add
from credentials.selectors import revoked_positions
from learners.models import Certificate
from paths.models import PathCertificate


def _achievement_url(page_id: int) -> str:
    page = Page.objects.filter(pk=page_id).only("url_path").first()
    url = page.get_full_url() if page is not None else None
    return url or f"{documents.site_url()}/?page={page_id}"


@transaction.atomic
def _credential_create(
    *, organization: Organization, certificate=None, path_certificate=None
) -> Credential:
    # Locking the organization row serialises the allocation of status list positions.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    existing = Credential.objects.filter(
        certificate=certificate, path_certificate=path_certificate
    ).first()
    if existing is not None:
        return existing
    last = Credential.objects.filter(organization=organization).aggregate(m=Max("status_index"))
    index = 0 if last["m"] is None else last["m"] + 1
    source = certificate or path_certificate
    key, private_key = issuer_key_signing(organization=organization)
    credential = Credential(
        certificate=certificate,
        path_certificate=path_certificate,
        organization=organization,
        status_index=index,
        key=key,
        document={},
    )
    page_id = certificate.course_page_id if certificate else path_certificate.path_page_id
    unsigned = documents.open_badge_credential(
        credential_uuid=str(credential.credential_uuid),
        subject_uuid=str(credential.subject_uuid),
        organization=organization,
        kind="path" if path_certificate else "course",
        title=source.course_title,
        achievement_url=_achievement_url(page_id),
        jp=source.jp,
        competencies=list(source.competencies or []),
        issued_at=source.issued_at,
        started_on=source.started_on,
        completed_on=source.completed_on,
        valid_until=source.valid_until,
        status_index=index,
    )
    credential.document = proof_add(
        unsigned,
        private_key=private_key,
        verification_method=addresses.verification_method_url(organization.slug, key.key_id),
        created=timezone.now(),
    )
    credential.full_clean()
    credential.save()
    return credential


def credential_for_certificate(*, certificate: Certificate) -> Credential:
    """The course certificate's credential, issued on first use."""
    existing = Credential.objects.filter(certificate=certificate).first()
    if existing is not None:
        return existing
    return _credential_create(
        organization=certificate.enrollment.course.provider, certificate=certificate
    )


def credential_for_path_certificate(*, certificate: PathCertificate) -> Credential:
    """The path certificate's credential, issued on first use."""
    existing = Credential.objects.filter(path_certificate=certificate).first()
    if existing is not None:
        return existing
    return _credential_create(
        organization=certificate.enrollment.path.provider, path_certificate=certificate
    )


def status_list_signed(*, organization: Organization, number: int) -> dict:
    """The signed status list credential as the organization's revocations stand now; signed
    again only when they changed (or the key rotated), otherwise served from the cache."""
    positions = revoked_positions(organization=organization, number=number)
    key, private_key = issuer_key_signing(organization=organization)
    fingerprint = hashlib.sha256(",".join(map(str, positions)).encode()).hexdigest()[:32]
    cache_key = f"credentials:status:{organization.pk}:{number}:{key.key_id}:{fingerprint}"
    signed = cache.get(cache_key)
    if signed is None:
        now = timezone.now()
        signed = proof_add(
            documents.status_list_credential(
                organization=organization, number=number, revoked_positions=positions, now=now
            ),
            private_key=private_key,
            verification_method=addresses.verification_method_url(organization.slug, key.key_id),
            created=now,
        )
        cache.set(cache_key, signed, 24 * 3600)
    return signed

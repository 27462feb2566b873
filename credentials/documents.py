"""The JSON-LD documents: an OpenBadgeCredential for a certificate, the issuer Profile with its
keys, and the BitstringStatusListCredential of an organization's revocations."""

import base64
import gzip
from datetime import UTC, date, datetime, time

from django.conf import settings
from django.utils import timezone

from content.models import Organization
from credentials import addresses
from credentials.jsonld import CREDENTIALS_V2, MULTIKEY_V1, OPEN_BADGES_V3
from credentials.models import IssuerKey

# 16 KB of bits, the smallest list the Bitstring Status List spec allows (herd privacy).
STATUS_LIST_SIZE = 131_072
CONTEXTS = [CREDENTIALS_V2, OPEN_BADGES_V3]


def _datetime(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _day_start(day: date) -> str:
    return _datetime(timezone.make_aware(datetime.combine(day, time.min)))


def _day_end(day: date) -> str:
    return _datetime(timezone.make_aware(datetime.combine(day, time(23, 59, 59))))


def issuer_profile(organization: Organization) -> dict:
    """The issuer as the credential names it (the published profile adds the keys)."""
    profile = {
        "id": addresses.issuer_url(organization.slug),
        "type": ["Profile"],
        "name": organization.name,
    }
    if organization.website:
        profile["url"] = organization.website
    return profile


def issuer_profile_published(organization: Organization, keys: list[IssuerKey]) -> dict:
    """The public Profile document: every key the organization ever signed with, the retired
    ones too, as Multikey verification methods."""
    profile = issuer_profile(organization)
    methods = [
        {
            "id": addresses.verification_method_url(organization.slug, key.key_id),
            "type": "Multikey",
            "controller": profile["id"],
            "publicKeyMultibase": key.public_key_multibase,
            **({"revoked": _datetime(key.retired_at)} if key.retired_at else {}),
        }
        for key in keys
    ]
    return {
        "@context": [*CONTEXTS, MULTIKEY_V1],
        **profile,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods if "revoked" not in m],
    }


def open_badge_credential(
    *,
    credential_uuid: str,
    subject_uuid: str,
    organization: Organization,
    kind: str,
    title: str,
    achievement_url: str,
    jp,
    competencies: list[dict],
    issued_at: datetime,
    started_on: date,
    completed_on: date,
    valid_until: date | None,
    status_index: int,
) -> dict:
    """An unsigned OpenBadgeCredential (VC 2.0 + OB 3.0). Printed in Indonesian, as the
    certificate itself; JP (jam pelajaran, 45 minutes each) are the achievement's credits."""
    number, position = divmod(status_index, STATUS_LIST_SIZE)
    list_url = addresses.status_list_url(organization.slug, number)
    is_path = kind == "path"
    jp_text = f"{jp.normalize():f}"
    description = (
        f"Sertifikat jalur belajar “{title}” ({jp_text} JP) dari {organization.name}."
        if is_path
        else f"Sertifikat pelatihan “{title}” ({jp_text} JP) dari {organization.name}."
    )
    narrative = (
        "Menyelesaikan seluruh langkah wajib jalur belajar ini di Lentera."
        if is_path
        else "Menyelesaikan seluruh pelajaran wajib pelatihan ini di Lentera dan lulus "
        "evaluasinya bila ada."
    )
    achievement = {
        "id": achievement_url,
        "type": ["Achievement"],
        "achievementType": "LearningProgram" if is_path else "Course",
        "name": title,
        "description": description,
        "criteria": {"narrative": narrative},
        "creditsAvailable": float(jp),
        "inLanguage": "id",
        "creator": issuer_profile(organization),
    }
    names = [c.get("name") for c in competencies if c.get("name")]
    if names:
        achievement["tag"] = names
        achievement["alignment"] = [
            {
                "type": ["Alignment"],
                "targetName": c["name"],
                "targetCode": c.get("code") or c["name"],
                "targetType": "ext:Competency",
                "targetUrl": f"{achievement_url}#kompetensi-{c.get('code') or index}",
            }
            for index, c in enumerate(competencies)
            if c.get("name")
        ]
    document = {
        "@context": CONTEXTS,
        "id": f"urn:uuid:{credential_uuid}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": title,
        "issuer": issuer_profile(organization),
        "validFrom": _datetime(issued_at),
        "credentialSubject": {
            "id": f"urn:uuid:{subject_uuid}",
            "type": ["AchievementSubject"],
            "achievement": achievement,
            "creditsEarned": float(jp),
            "activityStartDate": _day_start(started_on),
            "activityEndDate": _day_start(completed_on),
        },
        "credentialStatus": {
            "id": f"{list_url}#{position}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(position),
            "statusListCredential": list_url,
        },
    }
    if valid_until:
        document["validUntil"] = _day_end(valid_until)
    return document


def encoded_list(revoked_positions: list[int]) -> str:
    """GZIP-compressed bitstring, base64url without padding, multibase prefix `u`; bit 0 is the
    most significant bit of the first byte (Bitstring Status List v1.0, 3.1)."""
    bits = bytearray(STATUS_LIST_SIZE // 8)
    for position in revoked_positions:
        bits[position // 8] |= 0x80 >> (position % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def status_list_credential(
    *, organization: Organization, number: int, revoked_positions: list[int], now: datetime
) -> dict:
    url = addresses.status_list_url(organization.slug, number)
    return {
        "@context": [CREDENTIALS_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": addresses.issuer_url(organization.slug),
        "validFrom": _datetime(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list(revoked_positions),
        },
    }


def site_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")

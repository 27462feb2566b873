"""Open Badges 3.0 credentials: issued once per module (canonicalization is slow), then checked
INDEPENDENTLY of the issuing code (pyld, hashlib and cryptography directly, the key read from the
public issuer profile), and through Lentera's verification: a changed byte, a revoked
certificate, an unknown key, an expired or not yet valid credential; baked PNG badges, the
downloads' permissions, bad input."""

import base64
import copy
import gzip
import hashlib
import json
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time
from pyld import jsonld

from courses.factories import ProviderFactory, course_with_lessons, provider_page_of
from courses.models import CoursePage
from courses.services import site_structure_ensure
from credentials import services
from credentials.baking import baked_credential_text
from credentials.jsonld import UnknownContext, canonical_nquads
from credentials.keys import issuer_key_rotate
from credentials.models import IssuerKey
from credentials.proofs import proof_add
from credentials.verification import CheckStatus, credential_verify
from learners.certificate_services import certificate_revoke
from learners.factories import UserFactory, completed_enrollment
from paths.factories import course_step, learning_path
from paths.services import path_follow

CONTEXTS = Path(__file__).resolve().parents[2] / "credentials" / "contexts"
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
VERIFY_API = "/api/v1/credentials/verify"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One course certificate and one path certificate of provider A, each credential signed
    once; rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        site_structure_ensure()
        provider = ProviderFactory(name="Lembaga Pelatihan A", short_name="LPA", slug="lpa")
        course = course_with_lessons(
            provider_page=provider_page_of(provider),
            title="Etika Pelayanan Publik",
            modules=1,
            lessons_per_module=1,
        )
        CoursePage.objects.filter(pk=course.pk).update(certificate_valid_months=12)
        holder = UserFactory(
            email="siti@instansi.go.id", full_name="Siti Nurhaliza", nip="198609262015052001"
        )
        other = UserFactory(email="budi@instansi.go.id")
        certificate = completed_enrollment(user=holder, course=course).certificate
        credential = services.credential_for_certificate(certificate=certificate)
        path = learning_path(provider_page=provider_page_of(provider), steps=[course_step(course)])
        path_certificate = path_follow(user=holder, path=path).certificate
        path_credential = services.credential_for_path_certificate(certificate=path_certificate)
        yield {
            "provider": provider,
            "holder": holder,
            "other": other,
            "certificate": certificate,
            "credential": credential,
            "path_certificate": path_certificate,
            "path_credential": path_credential,
        }
        transaction.set_rollback(True)


@pytest.fixture
def w(world, db):
    return world


# --- An independent verifier: nothing of credentials/ but the bundled context files. ---


def _loader(url, options=None):
    files = {
        "https://www.w3.org/ns/credentials/v2": "credentials-v2.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
    }
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": json.loads((CONTEXTS / files[url]).read_text()),
    }


def _b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + B58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def _hash(document: dict) -> bytes:
    nquads = jsonld.normalize(
        document,
        {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": _loader},
    )
    return hashlib.sha256(nquads.encode()).digest()


def independently_verified(document: dict, public_key_multibase: str) -> bool:
    """eddsa-rdfc-2022 (VC-DI-EdDSA 3.3.2-3.3.6), written from the spec."""
    proof = dict(document["proof"])
    signature = _b58decode(proof.pop("proofValue")[1:])
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    proof["@context"] = document["@context"]
    raw = _b58decode(public_key_multibase[1:])
    assert raw[:2] == b"\xed\x01"
    try:
        Ed25519PublicKey.from_public_bytes(raw[2:]).verify(
            signature, _hash(proof) + _hash(unsecured)
        )
    except InvalidSignature:
        return False
    return True


def published_key(document: dict) -> str:
    """The publicKeyMultibase the issuer's public profile gives for the proof's method."""
    method = document["proof"]["verificationMethod"]
    profile = Client().get(document["issuer"]["id"].split("testserver", 1)[-1])
    assert profile.status_code == 200
    [key] = [m for m in profile.json()["verificationMethod"] if m["id"] == method]
    assert key["type"] == "Multikey"
    return key["publicKeyMultibase"]


def _relative(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


# --- The credential ---


def test_a_certificate_is_an_open_badge_credential(w):
    document = w["credential"].document
    certificate = w["certificate"]
    assert document["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["name"] == certificate.course_title
    assert achievement["creditsAvailable"] == float(certificate.jp)
    assert achievement["criteria"]["narrative"]
    assert achievement["tag"] == [c["name"] for c in certificate.competencies]
    assert document["issuer"]["name"] == "Lembaga Pelatihan A"
    assert document["validFrom"].endswith("Z")
    assert document["validUntil"].startswith(str(certificate.valid_until))
    text = json.dumps(document)
    # The subject is opaque: no e-mail, NIP or name.
    assert document["credentialSubject"]["id"].startswith("urn:uuid:")
    for personal in ("siti@instansi.go.id", "198609262015052001", "Siti"):
        assert personal not in text
    status = document["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    proof = document["proof"]
    assert (proof["type"], proof["cryptosuite"], proof["proofPurpose"]) == (
        "DataIntegrityProof",
        "eddsa-rdfc-2022",
        "assertionMethod",
    )


def test_the_proof_verifies_independently_and_a_changed_byte_fails(w):
    document = w["credential"].document
    key = published_key(document)
    assert independently_verified(document, key)
    changed = copy.deepcopy(document)
    changed["credentialSubject"]["achievement"]["creditsAvailable"] = 21.0
    assert not independently_verified(changed, key)
    assert credential_verify(changed).status == CheckStatus.INVALID
    assert credential_verify(document).status == CheckStatus.VALID


def test_a_changed_signature_byte_fails(w):
    document = copy.deepcopy(w["credential"].document)
    value = document["proof"]["proofValue"]
    document["proof"]["proofValue"] = value[:-2] + ("1" if value[-2] != "1" else "2") + value[-1]
    assert credential_verify(document).status == CheckStatus.INVALID


def test_the_path_credential_verifies(w):
    document = w["path_credential"].document
    assert document["credentialSubject"]["achievement"]["achievementType"] == "LearningProgram"
    assert independently_verified(document, published_key(document))
    assert credential_verify(document).status == CheckStatus.VALID
    # Both certificates of one organization take distinct places in its status list.
    assert (
        document["credentialStatus"]["statusListIndex"]
        != w["credential"].document["credentialStatus"]["statusListIndex"]
    )


def test_an_unknown_key_fails(w):
    document = {k: v for k, v in w["credential"].document.items() if k != "proof"}
    foreign = Ed25519PrivateKey.generate()
    elsewhere = proof_add(
        document,
        private_key=foreign,
        verification_method="https://issuer.example/profile#key-1",
        created=timezone.now(),
    )
    assert credential_verify(elsewhere).status == CheckStatus.UNKNOWN_KEY
    # A foreign key naming Lentera's key id: the key is ours, the signature is not.
    ours = w["credential"].document["proof"]["verificationMethod"]
    forged = proof_add(
        document, private_key=foreign, verification_method=ours, created=timezone.now()
    )
    assert credential_verify(forged).status == CheckStatus.INVALID


def test_a_revoked_certificate_fails_and_flips_its_bit(w, client):
    document = w["credential"].document
    certificate_revoke(certificate=w["certificate"], revoked_by=w["other"], reason="Plagiat")
    assert credential_verify(document).status == CheckStatus.REVOKED
    status = document["credentialStatus"]
    response = client.get(_relative(status["statusListCredential"]))
    assert response.status_code == 200
    status_list = response.json()
    assert independently_verified(
        status_list, published_key(status_list | {"issuer": {"id": status_list["issuer"]}})
    )
    encoded = status_list["credentialSubject"]["encodedList"]
    assert encoded[0] == "u"
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    index = int(status["statusListIndex"])
    assert bits[index // 8] & (0x80 >> (index % 8))
    assert len(bits) == 16 * 1024


def test_the_status_list_is_all_valid_before_any_revocation(w, client):
    status = w["credential"].document["credentialStatus"]
    encoded = client.get(_relative(status["statusListCredential"])).json()["credentialSubject"][
        "encodedList"
    ]
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert not any(bits)


def test_expired_and_not_yet_valid(w):
    document = w["credential"].document
    certificate = w["certificate"]
    with freeze_time(certificate.valid_until + timedelta(days=2)):
        check = credential_verify(document)
    assert check.status == CheckStatus.EXPIRED
    with freeze_time(certificate.issued_at - timedelta(days=1)):
        assert credential_verify(document).status == CheckStatus.NOT_YET_VALID


def test_key_rotation_keeps_old_credentials_verifiable(w, client):
    old = w["credential"].document
    issuer_key_rotate(organization=w["provider"])
    assert IssuerKey.objects.filter(organization=w["provider"]).count() == 2
    profile = client.get(_relative(old["issuer"]["id"])).json()
    assert len(profile["verificationMethod"]) == 2
    assert credential_verify(old).status == CheckStatus.VALID
    assert independently_verified(old, published_key(old))


def test_the_loader_refuses_unbundled_contexts():
    with pytest.raises(UnknownContext):
        canonical_nquads({"@context": "https://attacker.example/context.json", "name": "x"})


# --- Downloads ---


def test_the_holder_downloads_json_and_a_baked_png(w, client_for):
    client = client_for(w["holder"])
    code = w["certificate"].code
    response = client.get(reverse("credentials:certificate", args=[code, "json"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert json.loads(response.content) == w["credential"].document
    png = client.get(reverse("credentials:certificate", args=[code, "png"]))
    assert png["Content-Type"] == "image/png"
    assert json.loads(baked_credential_text(png.content)) == w["credential"].document
    # The baked badge verifies on the public page and through the API.
    upload = SimpleUploadedFile("lencana.png", png.content, content_type="image/png")
    page = Client().post(reverse("credentials:verify"), {"file": upload})
    assert page.status_code == 200
    assert page.context["check"].status == CheckStatus.VALID
    upload.seek(0)
    api = Client().post(f"{VERIFY_API}/file", {"file": upload})
    assert api.status_code == 200
    assert api.json()["status"] == "valid"
    path = client.get(
        reverse("credentials:path_certificate", args=[w["path_certificate"].code, "json"])
    )
    assert json.loads(path.content) == w["path_credential"].document


def test_another_learner_cannot_download_the_credential(w, client_for):
    code = w["certificate"].code
    for fmt in ("json", "png"):
        url = reverse("credentials:certificate", args=[code, fmt])
        assert client_for(w["other"]).get(url).status_code == 404
        assert Client().get(url).status_code == 302
    path_url = reverse("credentials:path_certificate", args=[w["path_certificate"].code, "json"])
    assert client_for(w["other"]).get(path_url).status_code == 404


# --- Verification input ---


def test_the_api_verifies_a_pasted_credential(w):
    response = Client().post(
        VERIFY_API, json.dumps(w["credential"].document), content_type="application/json"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["valid"]) == ("valid", True)
    assert body["certificate_url"].endswith(f"/sertifikat/{w['certificate'].code}/")


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ("not json {", "not_json"),
        ("[1, 2]", "not_credential"),
        (
            json.dumps(
                {
                    "@context": ["https://www.w3.org/ns/credentials/v2"],
                    "type": ["VerifiableCredential"],
                    "proof": {},
                }
            ),
            "wrong_type",
        ),
        (
            json.dumps(
                {
                    "@context": [
                        "https://www.w3.org/ns/credentials/v2",
                        "https://attacker.example/c",
                    ],
                    "type": ["VerifiableCredential", "OpenBadgeCredential"],
                }
            ),
            "unknown_context",
        ),
        (
            json.dumps(
                {
                    "@context": ["https://www.w3.org/ns/credentials/v2"],
                    "type": ["VerifiableCredential", "OpenBadgeCredential"],
                }
            ),
            "no_proof",
        ),
        (json.dumps({"a": "x" * 70_000}), "too_large"),
    ],
)
def test_bad_input_is_a_clear_400(db, payload, code, english_interface):
    api = Client().post(VERIFY_API, payload, content_type="application/json")
    assert api.status_code == 400
    assert api.json()["code"] == code
    assert api.json()["detail"]
    page = Client().post(reverse("credentials:verify"), {"credential": payload})
    assert page.status_code == 400
    assert page.context["form"].errors


def test_a_huge_upload_and_a_png_without_credential_are_refused(db):
    huge = SimpleUploadedFile("c.json", b" " * (2 * 1024 * 1024 + 10))
    assert Client().post(f"{VERIFY_API}/file", {"file": huge}).json()["code"] == "too_large"
    plain = SimpleUploadedFile("c.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 20)
    response = Client().post(reverse("credentials:verify"), {"file": plain})
    assert response.status_code == 400


def test_indonesian_messages(db):
    response = Client().post(VERIFY_API, "nope", content_type="application/json")
    assert response.json()["detail"] == "Ini bukan JSON yang sah."


def test_the_verify_page_and_the_certificate_page_offer_the_form(w):
    assert Client().get(reverse("credentials:verify")).status_code == 200
    page = Client().get(reverse("learners:certificate_verify", args=[w["certificate"].code]))
    assert reverse("credentials:verify") in page.content.decode()


def test_public_documents_take_a_fixed_number_of_queries(w, client, django_assert_max_num_queries):
    document = w["credential"].document
    with django_assert_max_num_queries(4):
        client.get(_relative(document["issuer"]["id"]))
    with django_assert_max_num_queries(8):
        client.get(_relative(document["credentialStatus"]["statusListCredential"]))
    with django_assert_max_num_queries(6):
        Client().post(VERIFY_API, json.dumps(document), content_type="application/json")

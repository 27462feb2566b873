"""Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite (W3C VC Data Integrity EdDSA
Cryptosuites v1.0, section 3.3): the proof options and the document without its proof are each
canonicalized (RDFC-1.0) and hashed with SHA-256, and Ed25519 signs the two hashes, options first.
Keys are Multikeys: `z` + base58btc of the multicodec prefix 0xed01 and the 32-byte public key."""

import copy
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from credentials.jsonld import canonical_nquads, sha256

CRYPTOSUITE = "eddsa-rdfc-2022"
_ED25519_PUB_PREFIX = b"\xed\x01"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, remainder = divmod(number, 58)
        out = _B58[remainder] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def base58_decode(text: str) -> bytes:
    number = 0
    for char in text:
        index = _B58.find(char)
        if index < 0:
            raise ValueError("not base58")
        number = number * 58 + index
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "z" + base58_encode(_ED25519_PUB_PREFIX + raw)


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    if not value.startswith("z"):
        raise ValueError("not base58btc multibase")
    raw = base58_decode(value[1:])
    if len(raw) != 34 or not raw.startswith(_ED25519_PUB_PREFIX):
        raise ValueError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def _hash_data(document: dict, options: dict) -> bytes:
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    config = {key: value for key, value in options.items() if key != "proofValue"}
    config["@context"] = document["@context"]
    return sha256(canonical_nquads(config)) + sha256(canonical_nquads(unsecured))


def proof_add(
    document: dict, *, private_key: Ed25519PrivateKey, verification_method: str, created: datetime
) -> dict:
    """A copy of `document` with a DataIntegrityProof (assertionMethod) signed by the key."""
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = private_key.sign(_hash_data(document, options))
    signed = copy.deepcopy(document)
    signed["proof"] = {**options, "proofValue": "z" + base58_encode(signature)}
    return signed


def proof_verify(document: dict, *, public_key: Ed25519PublicKey) -> bool:
    """Whether the document's proof is a valid eddsa-rdfc-2022 signature by `public_key`."""
    proof = document.get("proof")
    if not isinstance(proof, dict):
        return False
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        return False
    try:
        signature = base58_decode(value[1:])
    except ValueError:
        return False
    if len(signature) != 64:
        return False
    try:
        public_key.verify(signature, _hash_data(document, proof))
    except InvalidSignature:
        return False
    return True

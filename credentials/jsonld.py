"""JSON-LD for credentials without the network: the contexts Lentera signs with are bundled in
`credentials/contexts/`, and the document loader serves only those and refuses any other URL, so
neither signing nor verifying a pasted credential ever fetches anything (an attacker's context
could otherwise redefine terms, or make the server request an address of their choosing)."""

import hashlib
import json
from functools import cache
from pathlib import Path

from pyld import jsonld

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OPEN_BADGES_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"

_DIR = Path(__file__).resolve().parent / "contexts"
_FILES = {
    CREDENTIALS_V2: "credentials-v2.json",
    OPEN_BADGES_V3: "ob-v3p0-context-3.0.3.json",
    MULTIKEY_V1: "multikey-v1.json",
}
KNOWN_CONTEXTS = frozenset(_FILES)


class UnknownContext(ValueError):
    """A document names a context that is not bundled with Lentera."""


@cache
def _context(url: str) -> dict:
    return json.loads((_DIR / _FILES[url]).read_text(encoding="utf-8"))


def document_loader(url: str, options: dict | None = None) -> dict:
    """pyld's loader: a bundled context, or a refusal (never a fetch)."""
    if url not in _FILES:
        raise UnknownContext(url)
    return {"contextUrl": None, "documentUrl": url, "document": _context(url)}


def canonical_nquads(document: dict) -> str:
    """The RDF Dataset Canonicalization (RDFC-1.0, URDNA2015 in pyld) of a JSON-LD document, as
    N-Quads. Terms that no context defines would be dropped silently: the VC 2.0 context's
    `@vocab` keeps them, so every property the document carries is signed."""
    try:
        return jsonld.normalize(
            document,
            {
                "algorithm": "URDNA2015",
                "format": "application/n-quads",
                "documentLoader": document_loader,
                "safe": True,
            },
        )
    except jsonld.JsonLdError as error:
        cause = error
        while cause is not None:
            if isinstance(cause, UnknownContext):
                raise cause from error
            cause = getattr(cause, "cause", None) or cause.__cause__
        raise


def sha256(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()

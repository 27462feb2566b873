"""The one request Lentera makes to a learning record store: PUT a statement under its id.

PUT /statements?statementId=... is idempotent by the xAPI specification (1.0.3, part three,
2.1.1): the LRS answers 204 when it stores the statement, and 204 or 409 when it already holds one
with that id. Anything the LRS or the network answers is turned into an `Outcome`, never raised:
a delivery records it and the learner never sees it.
"""

from dataclasses import dataclass
from enum import StrEnum

import requests
from django.conf import settings

#: Kept of an error answer's body: enough to read the LRS's reason, not a page of HTML.
ERROR_BODY_CHARS = 500


class Result(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # the LRS is down, slow, overloaded, misconfigured: try again later
    REFUSED = "refused"  # the LRS read the statement and refuses it: sending it again won't help


@dataclass(frozen=True)
class Outcome:
    result: Result
    error: str = ""


#: Answers that mean the statement itself is wrong (xAPI: 400 Bad Request, 413 too large).
REFUSED_STATUSES = frozenset({400, 413, 422})


def _body(response: requests.Response) -> str:
    try:
        text = response.content[: ERROR_BODY_CHARS * 4].decode("utf-8", errors="replace")
    except Exception:  # noqa: BLE001 (a body that cannot be read is still an answer)
        text = ""
    return " ".join(text.split())[:ERROR_BODY_CHARS]


def statements_url() -> str:
    return settings.LENTERA_XAPI_ENDPOINT.rstrip("/") + "/statements"


def statement_put(statement: dict) -> Outcome:
    """Send one statement; what happened, as an Outcome."""
    try:
        response = requests.put(
            statements_url(),
            params={"statementId": statement["id"]},
            json=statement,
            auth=(settings.LENTERA_XAPI_KEY, settings.LENTERA_XAPI_SECRET),
            headers={"X-Experience-API-Version": "1.0.3"},
            timeout=settings.LENTERA_XAPI_TIMEOUT,
            allow_redirects=False,
        )
    except requests.RequestException as error:
        return Outcome(Result.RETRY, f"{type(error).__name__}: {error}"[:ERROR_BODY_CHARS])
    status = response.status_code
    if status in (200, 204):
        return Outcome(Result.SENT)
    if status == 409:
        # The LRS holds a statement with this id: sent before (a retry whose answer was lost).
        return Outcome(Result.SENT, f"HTTP 409: {_body(response)}")
    error = f"HTTP {status}: {_body(response)}".rstrip(": ")
    if status in REFUSED_STATUSES:
        return Outcome(Result.REFUSED, error)
    return Outcome(Result.RETRY, error)

"""Response headers that keep one account's offline copies apart from another's."""

from offline.accounts import device_account_key

ANONYMOUS = "anonymous"


class OfflineAccountHeaders:
    """Names the account an HTML page was made for, and clears the device on sign-out.

    - `X-Lentera-Account`: the service worker refreshes a saved page only with a copy made for
      the account that saved it, and drops another account's copies before serving any
      (shared computers in offices).
    - `Clear-Site-Data: "cache", "storage"` on the answer to the sign-out POST: the browser
      empties the caches, IndexedDB (the queued records) and the service worker of this site,
      even when the page script did not run. The sign-out page itself (GET) clears nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            user = getattr(request, "user", None)
            signed_in = user is not None and user.is_authenticated
            response["X-Lentera-Account"] = device_account_key(user) if signed_in else ANONYMOUS
        if _is_sign_out(request, response):
            response["Clear-Site-Data"] = '"cache", "storage"'
        return response


def _is_sign_out(request, response) -> bool:
    """A sign-out that went through: allauth's logout view answers a POST with a redirect."""
    match = getattr(request, "resolver_match", None)
    return (
        request.method == "POST"
        and match is not None
        and match.url_name == "account_logout"
        and 300 <= response.status_code < 400
    )

"""Which account a device's saved pages and queued records belong to."""

from django.utils.crypto import salted_hmac


def device_account_key(user) -> str:
    """A short key naming the signed-in account on the device (IndexedDB, cache names, the
    `X-Lentera-Account` header). Keyed with SECRET_KEY: it tells accounts apart without being
    the account's id, e-mail or anything a page shows."""
    return salted_hmac("lentera.offline.account", str(user.pk)).hexdigest()[:20]

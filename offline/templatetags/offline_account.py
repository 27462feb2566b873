"""`{% device_account_key user %}`: the key naming the signed-in account on this device."""

from django import template

from offline import accounts

register = template.Library()


@register.simple_tag
def device_account_key(user) -> str:
    """The page script stores saved pages and queued records under this key (a
    `<meta name="lentera-account">`), so that one account never reads another's."""
    return accounts.device_account_key(user)

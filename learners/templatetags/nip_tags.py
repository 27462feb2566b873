"""NIP display in templates: the members page and the JP compliance report list staff by NIP."""

from django import template

from learners.nip import nip_format

register = template.Library()


@register.filter
def nip(value) -> str:
    """A NIP grouped as printed on documents (``19860926 201505 1 001``)."""
    return nip_format(value or "")

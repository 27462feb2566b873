"""Template helpers of the organization admin's pages: the navigation link and NIP display."""

from django import template

from learners.nip import nip_format
from learners.permissions import administers_any_organization

register = template.Library()


@register.simple_tag(takes_context=True)
def administers_organizations(context) -> bool:
    """Whether the navigation links to the compliance report (one query per page at most)."""
    request = context.get("request")
    return bool(request and administers_any_organization(request.user))


@register.filter
def nip(value) -> str:
    """A NIP grouped as printed on documents (``19860926 201505 1 001``)."""
    return nip_format(value or "")

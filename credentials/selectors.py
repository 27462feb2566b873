"""Reads for credentials: revoked positions of a status list, the certificates a signed-in
person may download as credentials."""

from content.models import Organization
from credentials.documents import STATUS_LIST_SIZE
from credentials.models import Credential


def revoked_positions(*, organization: Organization, number: int) -> list[int]:
    """The positions, within list `number`, of the organization's revoked credentials (read
    from the certificates themselves: revoking a certificate is what flips its bit)."""
    start = number * STATUS_LIST_SIZE
    indexes = Credential.objects.filter(
        organization=organization,
        status_index__gte=start,
        status_index__lt=start + STATUS_LIST_SIZE,
        certificate__revoked_at__isnull=False,
    ).values_list("status_index", flat=True)
    return sorted(index - start for index in indexes)

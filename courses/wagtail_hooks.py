from wagtail import hooks

from content.models import Organization
from courses.services import organization_setup


@hooks.register("after_create_snippet")
def set_up_new_organization(request, instance):
    """A new organization gets its sections, groups, collection and workflow at once."""
    if isinstance(instance, Organization):
        organization_setup(organization=instance)

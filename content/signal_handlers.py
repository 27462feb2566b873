"""Signal receivers that keep stored copies of tree facts in step with the tree."""

from wagtail.signals import copy_for_translation_done, post_page_move


def refresh_provider_after_move(sender, instance, **kwargs):
    from content.models import ProvidedPage

    if issubclass(sender, ProvidedPage):
        instance.specific.provider_refresh()


def register_signal_handlers() -> None:
    post_page_move.connect(refresh_provider_after_move, dispatch_uid="content_provider_refresh")
    # A section's English copy carries its organization's page permissions and workflow.
    from content.translation import copy_section_access

    copy_for_translation_done.connect(copy_section_access, dispatch_uid="content_section_access")

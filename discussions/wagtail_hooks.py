"""The admin menu's link to the front-end list of reported posts, for the organization's
moderators (who work in the admin) and everyone else who moderates a discussion; the
communities of practice, which platform administrators create and give moderators."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from discussions.models import Community
from discussions.permissions import moderates_anything
from learners.models import User


class ReportedPostsMenuItem(MenuItem):
    def is_shown(self, request):
        return moderates_anything(request.user)


@hooks.register("register_admin_menu_item")
def register_reported_posts_menu_item():
    """The list is a front-end page (discussions.views.reports); the admin links to it."""
    return ReportedPostsMenuItem(
        _("Reported posts"),
        reverse("discussions:reports"),
        name="reported-posts",
        icon_name="warning",
        order=470,
    )


class CommunityAdminForm(WagtailAdminModelForm):
    """A community in the admin, its moderators named by e-mail address (one a line): a list
    of every user to pick from would not load with a whole civil service in it."""

    moderator_emails = forms.CharField(
        label=_("Moderators"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The e-mail addresses of the community's moderators, one a line."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["moderator_emails"] = "\n".join(
                self.instance.moderators.order_by("email").values_list("email", flat=True)
            )

    def clean_moderator_emails(self):
        emails = list(
            dict.fromkeys(line.strip() for line in self.cleaned_data["moderator_emails"].split())
        )
        emails = [email for email in emails if email]
        found = {
            user.email.casefold(): user
            for user in User.objects.filter(email__in=emails, is_active=True)
        }
        missing = [email for email in emails if email.casefold() not in found]
        if missing:
            raise forms.ValidationError(
                _("No active account has these addresses: %(emails)s.")
                % {"emails": ", ".join(missing)}
            )
        return list(found.values())

    def save(self, commit=True):
        community = super().save(commit=commit)
        if commit:
            community.moderators.set(self.cleaned_data["moderator_emails"])
        return community


class CommunityViewSet(SnippetViewSet):
    """Platform administrators create communities of practice and name their moderators."""

    model = Community
    icon = "group"
    menu_label = _("Communities of practice")
    menu_name = "communities"
    add_to_admin_menu = True
    menu_order = 471
    list_display = ["name", "competency", "occupational_group", "organization", "active"]
    list_filter = ["active"]
    search_fields = ["name", "occupational_group"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("slug"),
            FieldPanel("description"),
            FieldPanel("competency"),
            FieldPanel("occupational_group"),
            FieldPanel("organization"),
            FieldPanel("moderator_emails"),
            FieldPanel("active"),
        ],
        base_form_class=CommunityAdminForm,
    )


register_snippet(CommunityViewSet)

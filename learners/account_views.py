"""A person's own profile; sign-in, e-mail, password and MFA pages come from django-allauth."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from learners.forms import ProfileForm


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """Show and update the signed-in person's employment details (never anyone else's)."""
    form = ProfileForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except ValidationError as refused:
            # Someone below the named supervisor linked to the user meanwhile: the chain would loop.
            form.add_error("supervisor_email", refused)
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("learners:profile")
    return render(request, "learners/profile.html", {"form": form})

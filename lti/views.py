"""LTI 1.3 endpoints: the tool's key set, OIDC login initiation, the launch, linking the LTI
identity to a Lentera account, and the deep linking course picker. The login and launch are
public (platforms call them) and refuse a bad message with a clear page (400) that changes
nothing; the link and picker pages act only on a launch validated in the same session."""

from urllib.parse import urlencode, urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoOIDCLogin
from pylti1p3.exception import LtiException, OIDCException

from lti import services
from lti.forms import CoursePickForm
from lti.services import LaunchRefused, PendingLaunch
from lti.tool import ToolConfig, tool_jwks, tool_key

SESSION_KEY = "lti_pending"


def _refused(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return TemplateResponse(request, "lti/refused.html", {"message": message}, status=status)


def _pending(request: HttpRequest, message_type: str) -> PendingLaunch | None:
    data = request.session.get(SESSION_KEY)
    pending = PendingLaunch.from_session(data) if isinstance(data, dict) else None
    if pending is None or pending.message_type != message_type:
        return None
    return pending


def _launch_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("lti:launch"))


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    """The tool's public keys, for platforms to check its deep linking responses and
    client assertions."""
    tool_key()
    return JsonResponse(tool_jwks())


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def oidc_login(request: HttpRequest) -> HttpResponse:
    """Third-party initiated login: back to the platform's authorization endpoint with a state
    (also kept in a cookie) and a nonce, the id_token to come to our launch URL."""
    oidc = DjangoOIDCLogin(request, ToolConfig(), launch_data_storage=DjangoCacheDataStorage())
    try:
        return oidc.redirect(_launch_url(request))
    except (OIDCException, LtiException) as e:
        return _refused(request, _("This login was refused: %(reason)s") % {"reason": str(e)})


@csrf_exempt
@never_cache
@require_POST
def launch(request: HttpRequest) -> HttpResponse:
    """The platform POSTs the signed id_token here (form_post)."""
    try:
        pending = services.launch_validate(request)
    except LaunchRefused as refusal:
        return _refused(request, refusal.message)
    if pending.message_type == services.DEEP_LINKING:
        request.session[SESSION_KEY] = pending.as_session()
        return redirect("lti:deep_link")
    user = services.identity_user(pending)
    if user is not None and not (user.is_staff or user.is_superuser):
        # The platform signed this person in; staff sign in to Lentera themselves (and its MFA).
        if request.user.pk != user.pk:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        return _resource_launch_finish(request, pending, user)
    request.session[SESSION_KEY] = pending.as_session()
    return redirect("lti:link")


def _resource_launch_finish(request: HttpRequest, pending: PendingLaunch, user) -> HttpResponse:
    try:
        course, message = services.resource_launch_complete(pending=pending, user=user)
    except LaunchRefused as refusal:
        return _refused(request, refusal.message)
    request.session.pop(SESSION_KEY, None)
    if message:
        messages.warning(request, message)
    return redirect(course.url)


@never_cache
@require_http_methods(["GET", "POST"])
def link(request: HttpRequest) -> HttpResponse:
    """First launch of an LTI identity: the person signs in to their Lentera account (or
    creates one) and links it. Nothing is linked by an e-mail address alone."""
    pending = _pending(request, services.RESOURCE_LINK)
    if pending is None:
        return _refused(
            request, _("No launch is waiting here: start the course again from your platform.")
        )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.path})}")
        return _resource_launch_finish(request, pending, request.user)
    platform = services.platform_of(pending)
    verified_account = bool(
        pending.email
        and not request.user.is_authenticated
        and EmailAddress.objects.filter(email__iexact=pending.email, verified=True).exists()
    )
    next_query = urlencode({"next": request.path})
    return TemplateResponse(
        request,
        "lti/link.html",
        {
            "pending": pending,
            "platform": platform,
            "verified_account": verified_account,
            "login_url": f"{reverse('account_login')}?{next_query}",
            "signup_url": f"{reverse('account_signup')}?{next_query}",
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def deep_link(request: HttpRequest) -> HttpResponse:
    """The platform's editor picks Lentera courses; the signed answer goes back to the
    platform in a form the editor submits."""
    pending = _pending(request, services.DEEP_LINKING)
    if pending is None:
        return _refused(
            request, _("No course choice is waiting here: open it again from your platform.")
        )
    form = CoursePickForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            token, return_url = services.deep_linking_response(
                request=request,
                pending=pending,
                courses=form.cleaned_data["courses"],
                launch_url=_launch_url(request),
            )
        except LaunchRefused as refusal:
            return _refused(request, refusal.message)
        request.session.pop(SESSION_KEY, None)
        response = TemplateResponse(
            request, "lti/deep_link_return.html", {"jwt": token, "return_url": return_url}
        )
        parts = urlsplit(return_url)
        # The answer is POSTed to the platform: allow that one origin as a form target.
        response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}
        return response
    platform = services.platform_of(pending)
    return TemplateResponse(
        request,
        "lti/deep_link.html",
        {"form": form, "platform": platform},
        status=400 if form.is_bound else 200,
    )

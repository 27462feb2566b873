"""LTI 1.3 launches as services: validate a launch (pylti1p3 checks state, nonce, signature,
expiry, audience and deployment; a nonce is accepted once), link the LTI identity to a Lentera
account, enroll through `learners.services`, remember where grades go, and answer a deep
linking request with the chosen courses.

A refused launch raises `LaunchRefused` with a message for the person and writes nothing.
"""

import time
from dataclasses import dataclass
from datetime import timedelta

import jwt
import requests
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoMessageLaunch
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException
from pylti1p3.lineitem import LineItem

from courses.models import CoursePage
from learners.errors import EnrollmentRefused
from learners.models import Enrollment, User
from learners.services import enrollment_create
from lti.models import GradeLink, Identity, Platform, UsedNonce
from lti.tool import PlatformSession, ToolConfig

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
MESSAGE_TYPE = CLAIM + "message_type"
DEPLOYMENT_ID = CLAIM + "deployment_id"
CUSTOM = CLAIM + "custom"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
RESOURCE_LINK = "LtiResourceLinkRequest"
DEEP_LINKING = "LtiDeepLinkingRequest"
#: The custom parameter naming the Lentera course (set by deep linking, or by hand).
COURSE_PARAMETER = "course_id"
#: How long a used nonce is kept: longer than pylti1p3 keeps the login's nonce (86,400 s).
NONCE_KEPT = timedelta(days=2)
#: How long a launch waits for its person to sign in or create an account.
PENDING_SECONDS = 30 * 60


class LaunchRefused(Exception):
    """A launch Lentera does not accept; `message` says why, for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PendingLaunch:
    """A validated launch, kept in the session until it is carried out (JSON-safe)."""

    platform_id: int
    sub: str
    deployment_id: str
    message_type: str
    launch_id: str
    course_id: int | None
    lineitem_url: str
    scopes: tuple[str, ...]
    name: str
    email: str
    at: float

    def as_session(self) -> dict:
        return {**self.__dict__, "scopes": list(self.scopes)}

    @classmethod
    def from_session(cls, data) -> "PendingLaunch | None":
        try:
            pending = cls(**{**data, "scopes": tuple(data.get("scopes", ()))})
        except (TypeError, AttributeError):
            return None
        if time.time() - pending.at > PENDING_SECONDS:
            return None
        return pending


def _course_of(body: dict) -> CoursePage:
    custom = body.get(CUSTOM) or {}
    raw = custom.get(COURSE_PARAMETER) if isinstance(custom, dict) else None
    try:
        course_id = int(str(raw))
    except (TypeError, ValueError):
        raise LaunchRefused(
            _("This link names no Lentera course: ask the platform's editor to choose it again.")
        ) from None
    course = CoursePage.objects.live().filter(pk=course_id).first()
    if course is None:
        raise LaunchRefused(_("The course of this link is no longer published on Lentera."))
    return course


def launch_validate(request) -> PendingLaunch:
    """Validate the launch POSTed to the tool; the nonce is used up only if all of it holds."""
    tool_config = ToolConfig()
    launch = DjangoMessageLaunch(
        request,
        tool_config,
        launch_data_storage=DjangoCacheDataStorage(),
        requests_session=PlatformSession(),
    )
    # A platform's key set is fetched at most every five minutes.
    launch.set_public_key_caching(DjangoCacheDataStorage(), cache_lifetime=300)
    try:
        launch.validate()
    except (LtiException, jwt.PyJWTError, requests.RequestException, KeyError, ValueError) as e:
        raise LaunchRefused(_("This launch was refused: %(reason)s") % {"reason": str(e)}) from e
    body = launch.get_launch_data()
    platform = tool_config.platform
    message_type = body.get(MESSAGE_TYPE)
    if message_type not in (RESOURCE_LINK, DEEP_LINKING):
        raise LaunchRefused(_("Lentera does not take this kind of LTI message."))
    course = _course_of(body) if message_type == RESOURCE_LINK else None
    # pylti1p3 accepts a nonce only while the login's copy of it is in the cache (a day), so a
    # used nonce older than that need not be kept.
    UsedNonce.objects.filter(used_at__lt=timezone.now() - NONCE_KEPT).delete()
    try:
        with transaction.atomic():
            UsedNonce.objects.create(platform=platform, nonce=str(body["nonce"])[:255])
    except IntegrityError:
        raise LaunchRefused(
            _("This launch was already used: start it again from your platform.")
        ) from None
    ags = body.get(AGS_ENDPOINT) or {}
    return PendingLaunch(
        platform_id=platform.pk,
        sub=str(body.get("sub") or ""),
        deployment_id=str(body.get(DEPLOYMENT_ID)),
        message_type=message_type,
        launch_id=launch.get_launch_id(),
        course_id=course.pk if course else None,
        lineitem_url=str(ags.get("lineitem") or "") if isinstance(ags, dict) else "",
        scopes=tuple(ags.get("scope") or ()) if isinstance(ags, dict) else (),
        name=str(body.get("name") or "")[:200],
        email=str(body.get("email") or "")[:254],
        at=time.time(),
    )


def identity_user(pending: PendingLaunch) -> User | None:
    identity = (
        Identity.objects.select_related("user")
        .filter(platform_id=pending.platform_id, sub=pending.sub, user__is_active=True)
        .first()
    )
    return identity.user if identity else None


@transaction.atomic
def identity_link(*, pending: PendingLaunch, user: User) -> Identity:
    """Link the launch's LTI identity to `user`, who has just proved they own the account.
    An identity already linked to someone else stays theirs."""
    identity, _created = Identity.objects.get_or_create(
        platform_id=pending.platform_id, sub=pending.sub, defaults={"user": user}
    )
    if identity.user_id != user.pk:
        raise LaunchRefused(
            _("This platform account is already linked to another Lentera account.")
        )
    return identity


@transaction.atomic
def resource_launch_complete(*, pending: PendingLaunch, user: User) -> tuple[CoursePage, str]:
    """Enroll `user` in the launched course and remember the line item its grade goes to.
    Returns the course and a message when the enrollment was not opened at once."""
    identity = identity_link(pending=pending, user=user)
    course = CoursePage.objects.live().filter(pk=pending.course_id).first()
    if course is None:
        raise LaunchRefused(_("The course of this link is no longer published on Lentera."))
    message = ""
    try:
        enrollment, _created = enrollment_create(user=user, course=course)
    except EnrollmentRefused as refusal:
        message = str(refusal)
    else:
        if enrollment.status == Enrollment.Status.PENDING:
            message = _("Your enrollment waits for approval.")
    if pending.lineitem_url and SCORE_SCOPE in pending.scopes:
        GradeLink.objects.update_or_create(
            identity=identity,
            course=course,
            lineitem_url=pending.lineitem_url,
            defaults={"deployment_id": pending.deployment_id, "scopes": list(pending.scopes)},
        )
    return course, message


def deep_linking_response(*, request, pending: PendingLaunch, courses, launch_url: str):
    """The signed LtiDeepLinkingResponse naming `courses`, and the URL it is POSTed back to."""
    tool_config = ToolConfig()
    try:
        launch = DjangoMessageLaunch.from_cache(
            pending.launch_id,
            request,
            tool_config,
            launch_data_storage=DjangoCacheDataStorage(),
        )
    except LtiException as e:
        raise LaunchRefused(
            _("This course choice has expired: open it again from your platform.")
        ) from e
    resources = [
        DeepLinkResource()
        .set_url(launch_url)
        .set_title(course.title)
        .set_custom_params({COURSE_PARAMETER: str(course.pk)})
        .set_lineitem(
            LineItem()
            .set_label(course.title)
            .set_score_maximum(100)
            .set_resource_id(f"course-{course.pk}")
        )
        for course in courses
    ]
    deep_link = launch.get_deep_link()
    settings_claim = launch.get_launch_data().get(
        "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings", {}
    )
    return deep_link.get_response_jwt(resources), settings_claim.get("deep_link_return_url", "")


def platform_of(pending: PendingLaunch) -> Platform | None:
    return Platform.objects.filter(pk=pending.platform_id).first()

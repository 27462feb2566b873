"""Writes of the communities of practice: joining and leaving, sharing resources, announcing
events, and a member's claim of participation as a development record. Their topics and replies
are threads and posts (`discussions.services`), moderated like every discussion."""

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from development import services as development_services
from development.models import DevelopmentForm, DevelopmentRecord
from discussions.errors import DiscussionError
from discussions.models import (
    CLAIM_HOURS_PER_DAY_MAX,
    CLAIM_PERIOD_DAYS_MAX,
    Community,
    CommunityEvent,
    CommunityResource,
    Membership,
    ParticipationClaim,
)
from discussions.permissions import community_access
from learners.models import User

#: The non-classical form of development a community's participation is recorded under
#: (seeded by development's migration 0002, "Komunitas belajar").
COMMUNITY_FORM_CODE = "komunitas-belajar"
#: Records of a claim that no longer stand: their period may be claimed again.
_SETTLED_AGAINST = (DevelopmentRecord.Status.REJECTED, DevelopmentRecord.Status.REVOKED)


def community_url(community: Community) -> str:
    """The community's page at Lentera's public address: the evidence a claim points at."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "discussions:community", args=[community.slug]
    )


def community_join(*, community: Community, user: User) -> Membership:
    """Anyone signed in joins an active community; joining twice keeps one membership."""
    if not community.active:
        raise DiscussionError(_("This community is closed."), code="inactive")
    membership, _created = Membership.objects.get_or_create(community=community, user=user)
    return membership


def community_leave(*, community: Community, user: User) -> None:
    """Leave a community: its topics, resources and events are no longer shown; what one
    posted stays (it belongs to the conversation), as do one's claims and their records."""
    Membership.objects.filter(community=community, user=user).delete()


def resource_create(
    *,
    community: Community,
    author: User,
    title: str,
    description: str = "",
    url: str = "",
    file: UploadedFile | None = None,
) -> CommunityResource:
    """A member (or moderator) shares a link or a file with the community. A file passes the
    evidence files' checks (allowed type, size, content matching its extension) and is kept in
    the private storage."""
    if not community_access(author, community=community).can_post:
        raise DiscussionError(_("Join the community to share resources."), code="not_member")
    url = (url or "").strip()
    if bool(url) == bool(file):
        raise ValidationError(
            {"url": [ValidationError(_("Give either a link or a file."), code="link_or_file")]}
        )
    resource = CommunityResource(
        community=community,
        author=author,
        title=(title or "").strip(),
        description=(description or "").strip(),
        url=url,
    )
    if file is not None:
        try:
            extension = development_services.evidence_check(file)
        except ValidationError as error:
            raise ValidationError({"file": error.error_list}) from error
        resource.original_name = (file.name or "")[-255:]
        resource.content_type = development_services.EVIDENCE_TYPES[extension]
        resource.full_clean(exclude=["file"])
        with transaction.atomic():
            resource.file.save(file.name, file, save=False)
            resource.save()
        return resource
    resource.full_clean()
    resource.save()
    return resource


def resource_hide(
    *, resource: CommunityResource, moderator: User, hidden: bool = True
) -> CommunityResource:
    """A moderator hides a resource from the members (or shows it again)."""
    if not community_access(moderator, community=resource.community).moderator:
        raise DiscussionError(_("Only moderators can hide resources."), code="not_moderator")
    resource.hidden_at = timezone.now() if hidden else None
    resource.save(update_fields=["hidden_at"])
    return resource


def event_create(
    *,
    community: Community,
    author: User,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    link: str = "",
    description: str = "",
) -> CommunityEvent:
    """A community's moderator announces a meeting: in the future, ending after it starts, at
    a place or a link (or both)."""
    if not community_access(author, community=community).moderator:
        raise DiscussionError(
            _("Only the community's moderators can announce events."), code="not_moderator"
        )
    errors: dict[str, list[ValidationError]] = {}
    if starts_at <= timezone.now():
        errors["starts_at"] = [ValidationError(_("A new event starts in the future."), code="past")]
    if ends_at <= starts_at:
        errors["ends_at"] = [
            ValidationError(_("The event must end after it starts."), code="end_first")
        ]
    if not (place or "").strip() and not (link or "").strip():
        errors["place"] = [
            ValidationError(_("Give a place, a link to the virtual room, or both."), code="where")
        ]
    if errors:
        raise ValidationError(errors)
    event = CommunityEvent(
        community=community,
        author=author,
        title=(title or "").strip(),
        description=(description or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=(place or "").strip(),
        link=(link or "").strip(),
    )
    event.full_clean()
    event.save()
    return event


def event_cancel(*, event: CommunityEvent, moderator: User) -> None:
    """A community's moderator cancels an event (a wrong date, a meeting called off): it
    leaves the list."""
    if not community_access(moderator, community=event.community).moderator:
        raise DiscussionError(
            _("Only the community's moderators can cancel events."), code="not_moderator"
        )
    event.delete()


def _claim_check(
    *, membership: Membership | None, start_date: date, end_date: date, hours: Decimal
) -> None:
    errors: dict[str, list[ValidationError]] = {}
    if membership is None:
        raise DiscussionError(
            _("Only the community's members can claim participation in it."), code="not_member"
        )
    joined = timezone.localdate(membership.joined_at)
    if start_date < joined:
        errors["start_date"] = [
            ValidationError(
                _("You joined this community on %(date)s: claim from that day on.")
                % {"date": joined.isoformat()},
                code="before_joining",
            )
        ]
    if end_date >= start_date:
        days = (end_date - start_date).days + 1
        if days > CLAIM_PERIOD_DAYS_MAX:
            errors["end_date"] = [
                ValidationError(
                    _("Claim at most %(days)s days at a time, each period with its report.")
                    % {"days": CLAIM_PERIOD_DAYS_MAX},
                    code="period_too_long",
                )
            ]
        elif hours is not None and hours > CLAIM_HOURS_PER_DAY_MAX * days:
            errors["hours"] = [
                ValidationError(
                    _(
                        "%(hours)s hours in %(days)s day(s) is more than a community takes: at "
                        "most %(max)s hours a day."
                    )
                    % {"hours": hours, "days": days, "max": CLAIM_HOURS_PER_DAY_MAX},
                    code="implausible_hours",
                )
            ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def participation_claim(
    *,
    community: Community,
    member: User,
    start_date: date,
    end_date: date,
    hours: Decimal,
    report: str,
) -> ParticipationClaim:
    """A member claims their participation in `community` over a period as a non-classical
    development record ("Komunitas belajar"), submitted for their supervisor's verification with
    the community as its evidence (its page is the record's evidence link, the member's report
    its report). Refused: a non-member, a period before they joined or longer than
    `CLAIM_PERIOD_DAYS_MAX`, more than `CLAIM_HOURS_PER_DAY_MAX` hours a day, and a period that
    overlaps another claim of theirs in this community whose record still stands."""
    # The member's row, locked: two claims sent at once are checked one after the other.
    membership = (
        Membership.objects.select_for_update().filter(community=community, user=member).first()
    )
    _claim_check(membership=membership, start_date=start_date, end_date=end_date, hours=hours)
    overlapping = ParticipationClaim.objects.filter(
        community=community,
        member=member,
        start_date__lte=end_date,
        end_date__gte=start_date,
    ).exclude(record__status__in=_SETTLED_AGAINST)
    if overlapping.exists():
        raise ValidationError(
            {
                "start_date": [
                    ValidationError(
                        _("You already claimed part of this period in this community."),
                        code="overlap",
                    )
                ]
            }
        )
    form = DevelopmentForm.objects.filter(code=COMMUNITY_FORM_CODE).first()
    if form is None:
        raise DiscussionError(
            _("Community participation cannot be recorded on this site."), code="no_form"
        )
    claim = ParticipationClaim(
        community=community,
        member=member,
        start_date=start_date,
        end_date=end_date,
        report=(report or "").strip(),
    )
    claim.full_clean(exclude=["record"])
    evidence = community_url(community)
    record = development_services.record_from_activity(
        owner=member,
        form=form,
        title=_("Community of practice: %(name)s (%(start)s to %(end)s)")
        % {"name": community.name, "start": start_date.isoformat(), "end": end_date.isoformat()},
        start_date=start_date,
        end_date=end_date,
        hours=hours,
        report=f"{claim.report}\n\n{evidence}",
        organizer=community.name,
        evidence_held=True,
    )
    record.evidence_url = evidence
    DevelopmentRecord.objects.filter(pk=record.pk).update(evidence_url=evidence)
    claim.record = record
    claim.save()
    return claim

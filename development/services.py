"""Writing development records: the learner records and corrects an activity and its evidence;
the confirmed direct supervisor or the owner's HR admin verifies, rejects, asks for changes or
revokes. Each function runs in one transaction and refuses bad input with a `ValidationError`
whose message says what to fix.

JP comes from the hours (`LENTERA_MINUTES_PER_JP`, 45 minutes by convention) and is capped per
activity by the form's rule. JP counts only once a record is verified, and what it counts is
decided then: `jp_credited` is the record's JP within what is left of the form's yearly cap for
its owner in the year of its end date, given the records of that form and year verified before it.
Revoking a verified record gives its share back to the records of the same person, form and year
verified after it, in the same transaction. A rule changed by HR applies to verifications (and
such re-creditings) from then on; what was credited before stays. Every JP figure is then a plain
sum of `jp_credited` over verified records (`development.ledger`).
"""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import Action, audit_record
from content.forms import content_matches_extension
from content.models import Competency, Organization
from development.models import DevelopmentForm, DevelopmentRecord, EvidenceFile, FormRule
from development.permissions import can_verify
from development.tasks import record_decided_notify
from learners.models import User
from learners.permissions import is_organization_admin
from notifications.models import Notification
from notifications.services import notify

#: Evidence a learner may attach, by extension, with the content type it is served with.
EVIDENCE_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
#: The codes `evidence_check` refuses a file with.
EVIDENCE_ERRORS = ("file_type", "file_size", "content_mismatch")
EVIDENCE_URL_MAX_LENGTH = DevelopmentRecord._meta.get_field("evidence_url").max_length
_TWO_PLACES = Decimal("0.01")
Status = DevelopmentRecord.Status

# Sent with `record` when a record is verified, inside the verifying transaction: apps above
# development (paths) react without development importing them.
record_verified = Signal()


def rule_for(*, form: DevelopmentForm, organization: Organization | int | None) -> FormRule:
    """The organization's own rule for `form`, else the national default (one query). A form
    without any rule gets an unsaved rule without caps or evidence."""
    organization_id = organization.pk if isinstance(organization, Organization) else organization
    rule = (
        FormRule.objects.filter(form=form)
        .filter(Q(organization__isnull=True) | Q(organization_id=organization_id))
        # The organization's own rule first, then the national default.
        .order_by(F("organization_id").asc(nulls_last=True))
        .first()
    )
    return rule or FormRule(form=form, evidence=FormRule.Evidence.NONE)


def jp_from_hours(*, hours: Decimal, rule: FormRule) -> Decimal:
    """hours × 60 / minutes per JP, to two decimals, capped by the rule's per-activity cap."""
    jp = (Decimal(hours) * 60 / Decimal(settings.LENTERA_MINUTES_PER_JP)).quantize(
        _TWO_PLACES, rounding=ROUND_HALF_UP
    )
    if rule.max_jp_per_activity is not None:
        jp = min(jp, rule.max_jp_per_activity)
    return jp


def _duplicate_error() -> ValidationError:
    return ValidationError(
        _("You already recorded this activity with the same form and dates."), code="duplicate"
    )


def _save_once(record: DevelopmentRecord) -> None:
    """Save, turning the database's "recorded once" constraint (two submissions racing past
    the check) into the same refusal the check gives."""
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as error:
        raise ValidationError({"title": [_duplicate_error()]}) from error


def _validate_activity(
    *,
    owner: User,
    form: DevelopmentForm,
    title: str,
    start_date: date,
    end_date: date,
    hours: Decimal,
    exclude_pk: int | None = None,
) -> None:
    errors: dict[str, list[ValidationError]] = {}
    if not form.active:
        errors["form"] = [
            ValidationError(_("This form of development is no longer offered."), code="inactive")
        ]
    if end_date < start_date:
        errors["end_date"] = [
            ValidationError(_("The end date cannot be before the start date."), code="end_first")
        ]
    today = timezone.localdate()
    if end_date > today or start_date > today:
        errors.setdefault("end_date", []).append(
            ValidationError(
                _("Record an activity once it has taken place: its dates cannot be in the future."),
                code="future",
            )
        )
    if hours is None or hours <= 0:
        errors["hours"] = [
            ValidationError(_("The number of hours must be more than zero."), code="hours")
        ]
    elif end_date >= start_date:
        days = (end_date - start_date).days + 1
        if hours > 24 * days:
            errors["hours"] = [
                ValidationError(
                    _("%(hours)s hours do not fit in %(days)s day(s): at most 24 hours a day.")
                    % {"hours": hours, "days": days},
                    code="hours_exceed_dates",
                )
            ]
    if not errors:
        duplicates = DevelopmentRecord.objects.filter(
            owner=owner,
            form=form,
            title__iexact=title.strip(),
            start_date=start_date,
            end_date=end_date,
        ).exclude(status=Status.REJECTED)
        if exclude_pk is not None:
            duplicates = duplicates.exclude(pk=exclude_pk)
        if duplicates.exists():
            errors["title"] = [_duplicate_error()]
    if errors:
        raise ValidationError(errors)


def evidence_check(file: UploadedFile) -> str:
    """The extension of an acceptable evidence file; refuses a type not allowed, a file too large
    or content that is not what its extension says."""
    name = file.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EVIDENCE_TYPES:
        raise ValidationError(
            _("Evidence must be one of these file types: %(types)s.")
            % {"types": ", ".join(sorted(EVIDENCE_TYPES))},
            code="file_type",
        )
    if file.size > settings.LENTERA_EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("The file is too large: at most %(size)s MB.")
            % {"size": settings.LENTERA_EVIDENCE_MAX_BYTES // (1024 * 1024)},
            code="file_size",
        )
    file.seek(0)
    head = file.read(2048)
    file.seek(0)
    if not content_matches_extension(extension, head):
        raise ValidationError(
            _(
                "The content of this file is not a .%(extension)s file. Upload the original "
                "file, not a renamed one."
            )
            % {"extension": extension},
            code="content_mismatch",
        )
    return extension


def _evidence_store(*, record: DevelopmentRecord, file: UploadedFile) -> EvidenceFile:
    extension = evidence_check(file)
    evidence = EvidenceFile(
        record=record,
        original_name=(file.name or "")[-255:],
        content_type=EVIDENCE_TYPES[extension],
        size=file.size,
    )
    evidence.file.save(file.name, file, save=False)
    evidence.save()
    return evidence


def _evidence_required_check(record: DevelopmentRecord, rule: FormRule) -> None:
    """What the rule asks for on submission: a report, and a file or a link."""
    errors = {}
    if rule.needs_report and not record.report.strip():
        errors["report"] = ValidationError(
            _(
                "This form of development needs a report: what you learned and how you will "
                "apply it."
            ),
            code="report_required",
        )
    if rule.needs_file_or_link and not record.evidence_url and not record.evidence_files.exists():
        errors["evidence_url"] = ValidationError(
            _("This form of development needs evidence: attach a file or give a link."),
            code="evidence_required",
        )
    if errors:
        raise ValidationError(errors)


def _owner_only(record: DevelopmentRecord, user: User) -> None:
    if record.owner_id != user.pk:
        raise PermissionDenied(_("Only the owner of a record may change it."))
    if not record.is_editable:
        raise ValidationError(
            _("This record has been decided and can no longer change."), code="not_editable"
        )


@transaction.atomic
def record_create(
    *,
    owner: User,
    form: DevelopmentForm,
    title: str,
    start_date: date,
    end_date: date,
    hours: Decimal,
    organizer: str = "",
    competencies: Iterable[Competency] = (),
    report: str = "",
    evidence_url: str = "",
    files: Sequence[UploadedFile] = (),
) -> DevelopmentRecord:
    """Record an activity that took place and submit it for verification."""
    _validate_activity(
        owner=owner, form=form, title=title, start_date=start_date, end_date=end_date, hours=hours
    )
    rule = rule_for(form=form, organization=owner.organization_id)
    record = DevelopmentRecord(
        owner=owner,
        form=form,
        title=title.strip(),
        organizer=organizer.strip(),
        start_date=start_date,
        end_date=end_date,
        hours=hours,
        report=report.strip(),
        evidence_url=evidence_url.strip(),
        jp=jp_from_hours(hours=hours, rule=rule),
        status=Status.SUBMITTED,
    )
    # The constraints are the checks above, in words; the database enforces them too.
    record.full_clean(validate_constraints=False)
    _save_once(record)
    record.competencies.set(competencies)
    for file in files:
        _evidence_store(record=record, file=file)
    _evidence_required_check(record, rule)
    return record


@transaction.atomic
def record_update(
    *,
    record: DevelopmentRecord,
    user: User,
    form: DevelopmentForm,
    title: str,
    start_date: date,
    end_date: date,
    hours: Decimal,
    organizer: str = "",
    competencies: Iterable[Competency] = (),
    report: str = "",
    evidence_url: str = "",
    files: Sequence[UploadedFile] = (),
) -> DevelopmentRecord:
    """Correct a record waiting for verification or returned for changes; a returned record is
    submitted again."""
    record = DevelopmentRecord.objects.select_for_update().get(pk=record.pk)
    _owner_only(record, user)
    _validate_activity(
        owner=user,
        form=form,
        title=title,
        start_date=start_date,
        end_date=end_date,
        hours=hours,
        exclude_pk=record.pk,
    )
    rule = rule_for(form=form, organization=user.organization_id)
    record.form = form
    record.title = title.strip()
    record.organizer = organizer.strip()
    record.start_date = start_date
    record.end_date = end_date
    record.hours = hours
    record.report = report.strip()
    record.evidence_url = evidence_url.strip()
    record.jp = jp_from_hours(hours=hours, rule=rule)
    record.status = Status.SUBMITTED
    # The constraints are the checks above, in words; the database enforces them too.
    record.full_clean(validate_constraints=False)
    _save_once(record)
    record.competencies.set(competencies)
    for file in files:
        _evidence_store(record=record, file=file)
    _evidence_required_check(record, rule)
    return record


@transaction.atomic
def evidence_add(*, record: DevelopmentRecord, user: User, file: UploadedFile) -> EvidenceFile:
    """Attach a file to one's own record while it can still change."""
    record = DevelopmentRecord.objects.select_for_update().get(pk=record.pk)
    _owner_only(record, user)
    return _evidence_store(record=record, file=file)


@transaction.atomic
def evidence_remove(*, evidence: EvidenceFile, user: User) -> None:
    """Remove a file from one's own record while it can still change; the record must keep the
    evidence its rule asks for (another file or a link)."""
    record = DevelopmentRecord.objects.select_for_update().get(pk=evidence.record_id)
    _owner_only(record, user)
    rule = rule_for(form=record.form, organization=user.organization_id)
    others = record.evidence_files.exclude(pk=evidence.pk)
    if rule.needs_file_or_link and not record.evidence_url and not others.exists():
        raise ValidationError(
            _(
                "This form of development needs evidence: add another file or a link before "
                "removing this one."
            ),
            code="evidence_required",
        )
    name, storage = evidence.file.name, evidence.file.storage
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def record_submit(*, record: DevelopmentRecord, user: User) -> DevelopmentRecord:
    """Send a record returned for changes back for verification as it now stands (its evidence
    changed through `evidence_add`, `evidence_remove` or `evidence_link_set`); the rule's evidence
    must be there."""
    record = DevelopmentRecord.objects.select_for_update().get(pk=record.pk)
    _owner_only(record, user)
    if record.status != Status.CHANGES_REQUESTED:
        raise ValidationError(
            _("This record is already waiting for verification."), code="already_submitted"
        )
    _evidence_required_check(record, rule_for(form=record.form, organization=user.organization_id))
    record.status = Status.SUBMITTED
    record.save(update_fields=["status", "updated_at"])
    return record


@transaction.atomic
def evidence_link_set(*, record: DevelopmentRecord, user: User, url: str) -> DevelopmentRecord:
    """Give (or, with an empty `url`, remove) the link proving one's own record while it can
    still change; removing it must leave the evidence its rule asks for (a file)."""
    record = DevelopmentRecord.objects.select_for_update().get(pk=record.pk)
    _owner_only(record, user)
    url = url.strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as error:
            raise ValidationError(
                {"evidence_url": ValidationError(_("Enter a valid link (https://…)."), code="url")}
            ) from error
        if len(url) > EVIDENCE_URL_MAX_LENGTH:
            raise ValidationError(
                {
                    "evidence_url": ValidationError(
                        _("The link is too long: at most %(max)s characters.")
                        % {"max": EVIDENCE_URL_MAX_LENGTH},
                        code="url_length",
                    )
                }
            )
    else:
        rule = rule_for(form=record.form, organization=user.organization_id)
        if rule.needs_file_or_link and not record.evidence_files.exists():
            raise ValidationError(
                {
                    "evidence_url": ValidationError(
                        _(
                            "This form of development needs evidence: add a file before "
                            "removing the link."
                        ),
                        code="evidence_required",
                    )
                }
            )
    record.evidence_url = url
    record.save(update_fields=["evidence_url", "updated_at"])
    return record


def _activity_record_submit(
    *,
    owner: User,
    form: DevelopmentForm,
    title: str,
    start_date: date,
    end_date: date,
    hours: Decimal,
    report: str,
    organizer: str,
) -> tuple[DevelopmentRecord, FormRule]:
    """The submitted record of an activity held in another Lentera app, under the checks of a
    record entered by hand (dates, hours), with its JP from the exact hours and the form's
    rule for the owner's organization (returned too, for the evidence check)."""
    _validate_activity(
        owner=owner, form=form, title=title, start_date=start_date, end_date=end_date, hours=hours
    )
    rule = rule_for(form=form, organization=owner.organization_id)
    record = DevelopmentRecord(
        owner=owner,
        form=form,
        title=title.strip(),
        organizer=organizer.strip()[:255],
        start_date=start_date,
        end_date=end_date,
        hours=Decimal(hours).quantize(_TWO_PLACES, rounding=ROUND_HALF_UP),
        report=report.strip(),
        jp=jp_from_hours(hours=hours, rule=rule),
        status=Status.SUBMITTED,
    )
    record.full_clean(validate_constraints=False)
    _save_once(record)
    return record, rule


@transaction.atomic
def record_from_activity(
    *,
    owner: User,
    form: DevelopmentForm,
    title: str,
    start_date: date,
    end_date: date,
    hours: Decimal,
    report: str,
    organizer: str = "",
    evidence_held: bool = False,
) -> DevelopmentRecord:
    """The record an activity held in another Lentera app becomes (a confirmed coaching or
    mentoring session), submitted for verification, under the same rules as a record the owner
    enters: the dates and hours checks, the organization's rule for the form (JP capped per
    activity now, per year at verification) and its minimum evidence.

    `report` is the activity's own log (what was done, what was agreed), so a rule asking for a
    report is met by it and refused when it is blank. `evidence_held` says the activity's log is
    itself held in Lentera and was confirmed there by both parties (a coaching session both the
    coachee and the coach confirmed): that confirmed log is the evidence, and it meets a rule
    asking for "a file or a link" with nothing to upload. Without it, such a rule refuses the
    record as it refuses one entered by hand. JP come from the exact `hours`; the record keeps
    them to two decimals."""
    record, rule = _activity_record_submit(
        owner=owner,
        form=form,
        title=title,
        start_date=start_date,
        end_date=end_date,
        hours=hours,
        report=report,
        organizer=organizer,
    )
    if evidence_held:
        rule = FormRule(
            form=form,
            evidence=FormRule.Evidence.REPORT if rule.needs_report else FormRule.Evidence.NONE,
        )
    _evidence_required_check(record, rule)
    return record


@transaction.atomic
def record_attest(
    *,
    record: DevelopmentRecord | None,
    owner: User,
    form: DevelopmentForm,
    title: str,
    day: date,
    hours: Decimal,
    organizer: str,
    report: str,
    witness: User,
) -> DevelopmentRecord:
    """A record verified by the person who saw the activity happen (a cohort's trainer taking
    attendance at a live session, `live.services`) rather than by the owner's supervisor: the
    trainer's attendance list, kept in Lentera, is the evidence, so the form's evidence rule is
    met. JP come from the hours within the form's caps (per activity now, per year as any
    verification credits them). Given the `record` made before, it is verified again when it was
    revoked and left as it is when it counts already, so attesting twice counts once."""
    if record is not None:
        record = DevelopmentRecord.objects.select_for_update().get(pk=record.pk)
        if record.status == Status.VERIFIED:
            return record
    else:
        record, _rule = _activity_record_submit(
            owner=owner,
            form=form,
            title=title,
            start_date=day,
            end_date=day,
            hours=hours,
            report=report,
            organizer=organizer,
        )
    # One credit decision at a time per person (see `_decide`).
    list(User.objects.select_for_update().filter(pk=owner.pk).values_list("pk"))
    record.status = Status.VERIFIED
    record.decided_by = witness
    record.decided_at = timezone.now()
    record.decision_note = report.strip()
    record.jp_credited = _credit(record)
    record.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "jp_credited",
            "updated_at",
        ]
    )
    audit_record(
        witness,
        Action.DEVELOPMENT_RECORD_DECIDED,
        organization=owner.organization_id,
        subject=owner,
        target=f"{_('development record')} #{record.pk}",
        detail={
            "to": Status.VERIFIED,
            "jp": str(record.jp),
            "jp_credited": str(record.jp_credited),
        },
    )
    record_verified.send(sender=DevelopmentRecord, record=record)
    return record


@transaction.atomic
def record_attestation_withdraw(
    *, record: DevelopmentRecord, witness: User, reason: str
) -> DevelopmentRecord:
    """Undo `record_attest` (the attendance was corrected to absent): the record is revoked, its
    JP no longer count and the same form's later records of that year take back what the cap
    leaves them. A record that does not count already is left as it is."""
    record = (
        DevelopmentRecord.objects.select_for_update(of=("self",))
        .select_related("owner")
        .get(pk=record.pk)
    )
    if record.status != Status.VERIFIED:
        return record
    list(User.objects.select_for_update().filter(pk=record.owner_id).values_list("pk"))
    verified_at = record.decided_at
    record.status = Status.REVOKED
    record.decided_by = witness
    record.decided_at = timezone.now()
    record.decision_note = reason
    record.jp_credited = Decimal(0)
    record.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "jp_credited",
            "updated_at",
        ]
    )
    _recredit_after(record, verified_at=verified_at)
    audit_record(
        witness,
        Action.DEVELOPMENT_RECORD_DECIDED,
        organization=record.owner.organization_id,
        subject=record.owner,
        target=f"{_('development record')} #{record.pk}",
        detail={"from": Status.VERIFIED, "to": Status.REVOKED, "jp": str(record.jp)},
    )
    return record


def _year_records(record: DevelopmentRecord):
    """The owner's verified records of the record's form in the year of its end date."""
    year = record.end_date.year
    return DevelopmentRecord.objects.filter(
        owner_id=record.owner_id,
        form_id=record.form_id,
        status=Status.VERIFIED,
        end_date__gte=date(year, 1, 1),
        end_date__lt=date(year + 1, 1, 1),
    ).exclude(pk=record.pk)


def _within_cap(jp: Decimal, *, credited_before: Decimal, rule: FormRule) -> Decimal:
    if rule.max_jp_per_year is None:
        return jp
    return max(Decimal(0), min(jp, rule.max_jp_per_year - credited_before))


def _credit(record: DevelopmentRecord) -> Decimal:
    """The JP `record` adds on verification: its JP within what the records of its form and
    year verified before it left of the yearly cap (the owner's row is locked by the caller)."""
    rule = rule_for(form=record.form, organization=record.owner.organization_id)
    before = _year_records(record).aggregate(total=Sum("jp_credited"))["total"] or Decimal(0)
    return _within_cap(record.jp, credited_before=before, rule=rule)


def _recredit_after(record: DevelopmentRecord, *, verified_at) -> None:
    """After `record` was revoked: the records of its form and year verified after it take back
    what the cap now leaves them, in the order they were verified, under the rule in force."""
    rule = rule_for(form=record.form, organization=record.owner.organization_id)
    records = list(
        _year_records(record)
        .select_for_update()
        .order_by("decided_at", "pk")
        .only("jp", "decided_at", "jp_credited")
    )
    credited_before = Decimal(0)
    for other in records:
        if (
            verified_at
            and other.decided_at
            and (other.decided_at, other.pk)
            < (
                verified_at,
                record.pk,
            )
        ):
            credited_before += other.jp_credited
            continue
        credited = _within_cap(other.jp, credited_before=credited_before, rule=rule)
        if credited != other.jp_credited:
            other.jp_credited = credited
            other.save(update_fields=["jp_credited"])
        credited_before += credited


def _decide(
    *,
    record: DevelopmentRecord,
    verifier: User,
    status: str,
    note: str,
    allowed_from: tuple[str, ...],
    note_required: str | None,
) -> DevelopmentRecord:
    record = (
        DevelopmentRecord.objects.select_for_update(of=("self",))
        .select_related("owner")
        .get(pk=record.pk)
    )
    if not can_verify(verifier, record.owner):
        raise PermissionDenied(
            _("Only the owner's confirmed supervisor or their organization's HR may decide.")
        )
    if record.status not in allowed_from:
        raise ValidationError(
            _("This record is not waiting for this decision any more."), code="already_decided"
        )
    note = note.strip()
    if note_required and not note:
        raise ValidationError({"note": ValidationError(note_required, code="note_required")})
    previous, verified_at = record.status, record.decided_at
    if Status.VERIFIED in (previous, status):
        # One credit decision at a time per person: two verifications racing for the same yearly
        # cap would each see the other's share as still free.
        list(User.objects.select_for_update().filter(pk=record.owner_id).values_list("pk"))
    record.status = status
    record.decided_by = verifier
    record.decided_at = timezone.now()
    record.decision_note = note
    record.jp_credited = _credit(record) if status == Status.VERIFIED else Decimal(0)
    record.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "jp_credited",
            "updated_at",
        ]
    )
    if previous == Status.VERIFIED:
        _recredit_after(record, verified_at=verified_at)
    audit_record(
        verifier,
        Action.DEVELOPMENT_RECORD_DECIDED,
        organization=record.owner.organization_id,
        subject=record.owner,
        target=f"{_('development record')} #{record.pk}",
        detail={
            "from": previous,
            "to": status,
            "jp": str(record.jp),
            "jp_credited": str(record.jp_credited),
        },
    )
    transaction.on_commit(lambda: record_decided_notify.enqueue(record_id=record.pk))
    notify(
        recipient=record.owner,
        kind=Notification.Kind.RECORD_DECISION,
        actor=verifier,
        subject=record.title,
        url=reverse("development:record_detail", args=[record.pk]),
    )
    if status == Status.VERIFIED:
        record_verified.send(sender=DevelopmentRecord, record=record)
    return record


@transaction.atomic
def record_verify(
    *, record: DevelopmentRecord, verifier: User, note: str = ""
) -> DevelopmentRecord:
    """Verify a submitted record: its JP counts from now on."""
    return _decide(
        record=record,
        verifier=verifier,
        status=Status.VERIFIED,
        note=note,
        allowed_from=(Status.SUBMITTED,),
        note_required=None,
    )


@transaction.atomic
def record_reject(*, record: DevelopmentRecord, verifier: User, note: str) -> DevelopmentRecord:
    """Refuse a submitted record, saying why."""
    return _decide(
        record=record,
        verifier=verifier,
        status=Status.REJECTED,
        note=note,
        allowed_from=(Status.SUBMITTED,),
        note_required=_("Say why the record is rejected."),
    )


@transaction.atomic
def record_request_changes(
    *, record: DevelopmentRecord, verifier: User, note: str
) -> DevelopmentRecord:
    """Return a submitted record to its owner, saying what to change."""
    return _decide(
        record=record,
        verifier=verifier,
        status=Status.CHANGES_REQUESTED,
        note=note,
        allowed_from=(Status.SUBMITTED,),
        note_required=_("Say what the owner should change."),
    )


@transaction.atomic
def record_revoke(*, record: DevelopmentRecord, verifier: User, reason: str) -> DevelopmentRecord:
    """Withdraw a verification (evidence found false, recorded twice): its JP no longer counts."""
    return _decide(
        record=record,
        verifier=verifier,
        status=Status.REVOKED,
        note=reason,
        allowed_from=(Status.VERIFIED,),
        note_required=_("Say why the verification is revoked."),
    )


@transaction.atomic
def rule_set(
    *,
    organization: Organization,
    form: DevelopmentForm,
    user: User,
    max_jp_per_activity: Decimal | None,
    max_jp_per_year: Decimal | None,
    evidence: str,
) -> FormRule:
    """Set `organization`'s own rule for `form` (its HR admin or a platform administrator)."""
    if not is_organization_admin(user, organization.pk):
        raise PermissionDenied(_("Only the organization's HR may change its rules."))
    rule, _created = FormRule.objects.get_or_create(
        form=form, organization=organization, defaults={"evidence": evidence}
    )
    rule.max_jp_per_activity = max_jp_per_activity
    rule.max_jp_per_year = max_jp_per_year
    rule.evidence = evidence
    rule.full_clean()
    rule.save()
    return rule

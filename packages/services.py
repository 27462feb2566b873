"""What a package's runtime writes for a learner: SCORM commits and H5P's xAPI statements.

Both go through here from the learner API (`packages.api`) and, once queued offline, from the
same endpoints when the device is back online. Each call:

1. finds the learner's learning enrollment in the lesson's course and locks it (as
   `learners.progress.lesson_complete` does), so one learner's commits, completions and quiz
   submissions in a course run one at a time; the attempt is found or created from that
   enrollment, so nobody can address another learner's attempt;
2. is idempotent by `event_id`: a commit sent again (a retry, an outbox replay) answers what
   the first did, with `replayed` true, and changes nothing;
3. checks the data against the standard (`packages.runtime`) before storing anything;
4. dates a live commit by the server's clock (a device's clock may be minutes or hours off:
   trusting it lost the progress of a phone running behind a laptop, and refused every save
   of a phone running ahead). Only a commit replayed from the device's outbox (`queued`) is
   dated by the device's `committed_at` (clamped to now), and it is applied only if it is
   newer than the data last applied to that item: one that arrives after newer data is logged
   and its session time counted, but it does not overwrite the newer data;
5. completes the lesson through `lesson_complete(source=PACKAGE)` once every item of the
   package is finished (`item_done`), and records when on the attempt. A completed lesson is
   never un-completed: later commits are review sessions (SCORM's review mode, no-credit),
   which store only where the learner is (location, suspend data, exit) and leave the record
   (statuses, score) as it was;
6. bounds what it keeps: the merged data of one item at most LENTERA_PACKAGE_CMI_MAX_BYTES
   (serialized, default 1 MiB) and CMI_ENTRIES_MAX collection entries (answered 400
   `cmi_too_large`), one session's time at most SESSION_TIME_MAX;
7. plays an attempt against the lesson's current package: when an editor replaced the
   package, the first commit for the new one starts the items' data afresh (the completion
   already recorded stays).
"""

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CoursePage
from learners.errors import InvalidCompletion, LearningError, NotEnrolled
from learners.models import Certificate, Enrollment, LessonCompletion, User
from learners.progress import lesson_complete
from learners.selectors import learning_enrollments
from packages import runtime
from packages.models import Package, PackageAttempt, PackageLessonPage, RuntimeCommit, ScoState

H5P_ITEM = "h5p"
# The merged cmi of one item, serialized (UTF-8 bytes): SCORM 2004's largest real data (64000
# characters of suspend data, 250 interactions with their patterns) fits well below it; it is
# rendered into the lesson page, so it must stay small.
CMI_MAX_BYTES = 1024 * 1024
# Collection entries of one item, nested ones included (interactions x correct responses,
# objectives): SCORM 2004's SPMs (250 interactions, 10 patterns and objectives each) fit.
CMI_ENTRIES_MAX = 10_000
# One session's time counted into total_time: longer (a tab left open for days, or a SCO's
# nonsense like P9999999999Y) counts as this much.
SESSION_TIME_MAX = timedelta(hours=24)
# The data a review session (a completed lesson) stores: where the learner is, nothing else.
REVIEW_ELEMENTS = {
    "scorm12": {"suspend_data": None, "core": {"lesson_location": None, "exit": None}},
    "scorm2004": {"suspend_data": None, "location": None, "exit": None},
}


class RateLimited(LearningError):
    status = 429


@dataclass(frozen=True)
class CommitResult:
    """What the runtime hears back after a commit or a statement."""

    item: str
    completion_status: str
    success_status: str
    score: dict | None
    lesson_completed: bool
    course_completed: bool
    certificate: Certificate | None
    replayed: bool


# Outbox replays (`queued`) have a budget of their own, this many times the live one: a device
# back online after a day sends its queue in one go, which a package looping live never does.
QUEUED_BUDGET_FACTOR = 10


def commits_allowed(*, user: User, lesson_id: int, queued: bool = False) -> None:
    """Count one commit of `user` in the lesson; refuse beyond the setting's rate per minute.

    A fixed one-minute window in the cache (shared between processes when REDIS_URL is set),
    per learner and lesson: a package that commits in a loop cannot flood the database.
    Replays from the device's outbox are counted apart, with QUEUED_BUDGET_FACTOR times the
    budget, so a long offline queue is not held back (nor holds back the live commits).
    """
    limit = getattr(settings, "LENTERA_PACKAGE_COMMITS_PER_MINUTE", 60)
    window = int(timezone.now().timestamp() // 60)
    key = f"packages:commits:{user.pk}:{lesson_id}:{window}"
    if queued:
        limit *= QUEUED_BUDGET_FACTOR
        key += ":queued"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    if count > limit:
        raise RateLimited(
            _("Too many saves from this lesson. Wait a minute, then continue."),
            code="rate_limited",
        )


# -- items ------------------------------------------------------------------------------------


def _manifest_item(package: Package, item: str) -> dict:
    for entry in package.items:
        if entry.get("identifier") == item:
            return entry
    raise runtime.InvalidRuntimeData(
        _("The package has no item %(item)s.") % {"item": item}, element="item"
    )


def passing_defined(package: Package, entry: dict, lesson: PackageLessonPage) -> bool:
    """Whether the item has a score to reach (its success status must then be "passed")."""
    if package.kind == Package.Kind.H5P:
        return lesson.pass_mark is not None
    if package.kind == Package.Kind.SCORM12:
        return entry.get("mastery_score") is not None
    return entry.get("scaled_passing_score") is not None


def item_done(*, package: Package, lesson: PackageLessonPage, entry: dict, sco) -> bool:
    """An item is finished: completed, and passed where a passing score is defined, not failed
    where none is (H5P: any finished attempt without a pass mark). An asset (a SCORM resource
    without the API) is finished once it was launched."""
    if entry.get("scorm_type") == "asset":
        return sco is not None
    if sco is None:
        return False
    outcome = runtime.Outcome(
        completion_status=sco.completion_status, success_status=sco.success_status
    )
    if package.kind == Package.Kind.H5P and lesson.pass_mark is None:
        return outcome.completion_status == "completed"
    return outcome.done(passing_defined=passing_defined(package, entry, lesson))


def package_done(*, package: Package, lesson: PackageLessonPage, scos: dict) -> bool:
    """Every item of the package is finished. Assets do not hold back a package with SCOs
    (they cannot report anything); a package of assets only is finished once one is launched."""
    items = package.items
    scos_only = [entry for entry in items if entry.get("scorm_type") != "asset"]
    if not scos_only:
        return any(entry.get("identifier") in scos for entry in items)
    return all(
        item_done(package=package, lesson=lesson, entry=entry, sco=scos.get(entry["identifier"]))
        for entry in scos_only
    )


# -- the shared steps ----------------------------------------------------------------------


def _checked_time(committed_at: datetime, *, queued: bool) -> datetime:
    """When the commit happened: now for a live commit; for an outbox replay the device's time,
    never later than now (a device clock running ahead is not an error)."""
    now = timezone.now()
    if not queued or committed_at is None:
        return now
    if timezone.is_naive(committed_at):
        committed_at = timezone.make_aware(committed_at)
    return min(committed_at, now)


def _stale(sco: ScoState, committed_at: datetime, *, queued: bool) -> bool:
    """A replayed commit older than the data applied last: logged, not applied. A live
    commit is the learner's current data, applied in the order it arrives."""
    return queued and sco.last_event_at is not None and committed_at < sco.last_event_at


def _newest(sco: ScoState, committed_at: datetime) -> datetime:
    if sco.last_event_at is not None and sco.last_event_at > committed_at:
        return sco.last_event_at
    return committed_at


def _review_only(kind: str, cleaned: dict) -> dict:
    """The resume data of a commit (location, suspend data, exit), for a review session."""

    def pick(data: dict, keep: dict) -> dict:
        kept = {}
        for key, sub in keep.items():
            if key not in data:
                continue
            if sub is None:
                kept[key] = data[key]
            elif isinstance(data[key], dict):
                kept[key] = pick(data[key], sub)
        return kept

    return pick(cleaned, REVIEW_ELEMENTS.get(kind, {}))


def _entry_count(value) -> int:
    if isinstance(value, dict):
        return sum(_entry_count(sub) for sub in value.values())
    if isinstance(value, list):
        return len(value) + sum(_entry_count(sub) for sub in value)
    return 0


def cmi_size_check(cmi: dict) -> None:
    """Refuse a merged cmi larger than the bounds (400 `cmi_too_large`): a package committing
    ever new collection entries must not grow the stored data without end."""
    limit = getattr(settings, "LENTERA_PACKAGE_CMI_MAX_BYTES", CMI_MAX_BYTES)
    size = len(json.dumps(cmi, ensure_ascii=False, separators=(",", ":")).encode())
    if size > limit or _entry_count(cmi) > CMI_ENTRIES_MAX:
        raise runtime.InvalidRuntimeData(
            _(
                "The package saved more data than Lentera keeps for one part of a lesson "
                "(at most %(limit)s kB and %(entries)s entries)."
            )
            % {"limit": limit // 1024, "entries": CMI_ENTRIES_MAX},
            element="cmi",
            code="cmi_too_large",
        )


def _lesson_review(enrollment: Enrollment, attempt: PackageAttempt, lesson) -> bool:
    """The lesson is completed: what the learner does now is a review session."""
    return (
        attempt.completed_at is not None
        or LessonCompletion.objects.filter(enrollment=enrollment, lesson=lesson).exists()
    )


def _locked_enrollment(*, user: User, lesson: PackageLessonPage) -> tuple[Enrollment, CoursePage]:
    course = CoursePage.objects.ancestor_of(lesson).defer_streamfields().get()
    enrollment = learning_enrollments(user=user, course=course).select_for_update().first()
    if enrollment is None:
        raise NotEnrolled(
            _("Enroll in this course before completing its lessons."), code="not_enrolled"
        )
    return enrollment, course


def _attempt(enrollment: Enrollment, lesson: PackageLessonPage) -> PackageAttempt:
    # The enrollment's row lock serializes this; the unique constraint is the safety net.
    attempt, _created = PackageAttempt.objects.get_or_create(
        enrollment=enrollment, lesson=lesson, defaults={"package_id": lesson.package_id}
    )
    if attempt.package_id != lesson.package_id:
        # The editor replaced the lesson's package: the data of the old one means nothing to
        # the new one (same item names may be other SCOs). The items start afresh, kept as
        # rows so their commit log still answers replays; a recorded completion stays.
        ScoState.objects.filter(attempt=attempt).update(
            cmi={},
            completion_status="not attempted",
            success_status="unknown",
            score_raw=None,
            score_min=None,
            score_max=None,
            score_scaled=None,
            total_time=timedelta(0),
            session_count=0,
            last_event_at=None,
        )
        attempt.package_id = lesson.package_id
        attempt.save(update_fields=["package", "updated_at"])
    return attempt


def _sco(attempt: PackageAttempt, item: str) -> ScoState:
    sco = ScoState.objects.select_for_update().filter(attempt=attempt, item=item).first()
    if sco is None:
        try:
            with transaction.atomic():
                sco = ScoState.objects.create(attempt=attempt, item=item)
        except IntegrityError:
            sco = ScoState.objects.select_for_update().get(attempt=attempt, item=item)
    return sco


def _replay(*, event_id: uuid.UUID, user: User, lesson: PackageLessonPage) -> ScoState | None:
    """The item state a commit with this `event_id` already went to, if it is the learner's
    in this lesson; an id used elsewhere is refused."""
    logged = (
        RuntimeCommit.objects.filter(event_id=event_id)
        .select_related("sco__attempt__enrollment")
        .first()
    )
    if logged is None:
        return None
    attempt = logged.sco.attempt
    if attempt.enrollment.user_id != user.pk or attempt.lesson_id != lesson.pk:
        raise InvalidCompletion(
            _("This event id was already used for another lesson."), code="event_id_reused"
        )
    return logged.sco


def _result(
    *, sco: ScoState, enrollment: Enrollment, lesson: PackageLessonPage, replayed: bool
) -> CommitResult:
    outcome = runtime.Outcome(
        completion_status=sco.completion_status,
        success_status=sco.success_status,
        score_raw=sco.score_raw,
        score_min=sco.score_min,
        score_max=sco.score_max,
        score_scaled=sco.score_scaled,
    )
    completed = enrollment.status == Enrollment.Status.COMPLETED
    return CommitResult(
        item=sco.item,
        completion_status=sco.completion_status,
        success_status=sco.success_status,
        score=outcome.score,
        lesson_completed=LessonCompletion.objects.filter(
            enrollment=enrollment, lesson=lesson
        ).exists(),
        course_completed=completed,
        certificate=Certificate.objects.filter(enrollment=enrollment).first()
        if completed
        else None,
        replayed=replayed,
    )


def _outcome_store(sco: ScoState, outcome: runtime.Outcome) -> None:
    sco.completion_status = outcome.completion_status
    sco.success_status = outcome.success_status
    sco.score_raw = outcome.score_raw
    sco.score_min = outcome.score_min
    sco.score_max = outcome.score_max
    sco.score_scaled = outcome.score_scaled


def _completion_check(
    *,
    user: User,
    lesson: PackageLessonPage,
    enrollment: Enrollment,
    attempt: PackageAttempt,
    package: Package,
    moment: datetime,
) -> Enrollment:
    """Complete the lesson once the whole package is finished; returns the enrollment as it
    is now (the completion may have completed the course)."""
    if attempt.completed_at is not None:
        return enrollment
    scos = {sco.item: sco for sco in attempt.scos.all()}
    if not package_done(package=package, lesson=lesson, scos=scos):
        return enrollment
    if enrollment.started_at and moment < enrollment.started_at:
        moment = enrollment.started_at
    attempt.completed_at = moment
    attempt.save(update_fields=["completed_at", "updated_at"])
    result = lesson_complete(
        user=user, lesson=lesson, completed_at=moment, source=LessonCompletion.Source.PACKAGE
    )
    return result.enrollment


def _merge(stored, new):
    """A commit over the stored data: objects merged element by element, collections entry by
    entry, so a commit of only the changed elements loses nothing."""
    if isinstance(stored, dict) and isinstance(new, dict):
        merged = dict(stored)
        for key, value in new.items():
            merged[key] = _merge(stored.get(key), value)
        return merged
    if isinstance(stored, list) and isinstance(new, list):
        merged = list(stored)
        for index, value in enumerate(new):
            if index < len(merged):
                merged[index] = _merge(merged[index], value)
            else:
                merged.append(value)
        return merged
    return new


def _scorm_outcome(package: Package, entry: dict, cmi: dict) -> runtime.Outcome:
    if entry.get("scorm_type") == "asset":
        return runtime.Outcome(completion_status="completed")
    if package.kind == Package.Kind.SCORM12:
        return runtime.scorm12_outcome(cmi, mastery_score=entry.get("mastery_score"))
    return runtime.scorm2004_outcome(
        cmi,
        completion_threshold=entry.get("completion_threshold"),
        scaled_passing_score=entry.get("scaled_passing_score"),
    )


def _session_time(kind: str, cmi: dict) -> timedelta:
    """The session's time, at most SESSION_TIME_MAX (also for values no duration can hold)."""
    value = (cmi.get("core") or {}).get("session_time") if kind == runtime.SCORM12 else None
    if kind == runtime.SCORM2004:
        value = cmi.get("session_time")
    try:
        spent = runtime.timespan_parse(kind, value or "")
    except (OverflowError, ValueError):
        return SESSION_TIME_MAX
    return min(spent, SESSION_TIME_MAX)


def _replayed_result(*, user: User, lesson: PackageLessonPage, event_id) -> CommitResult | None:
    sco = _replay(event_id=event_id, user=user, lesson=lesson)
    if sco is None:
        return None
    # The enrollment the commit went to, even if it has since been withdrawn: the device
    # hears that its commit counted.
    enrollment = Enrollment.objects.get(pk=sco.attempt.enrollment_id)
    return _result(sco=sco, enrollment=enrollment, lesson=lesson, replayed=True)


def _record(*, user, lesson, event_id, committed_at, apply) -> CommitResult:
    """The steps every commit shares: replay, lock, attempt, `apply`, completion."""
    if (replay := _replayed_result(user=user, lesson=lesson, event_id=event_id)) is not None:
        return replay
    try:
        with transaction.atomic():
            enrollment, _course = _locked_enrollment(user=user, lesson=lesson)
            # Looked up again under the lock: the same event sent twice at once.
            if (replay := _replay(event_id=event_id, user=user, lesson=lesson)) is not None:
                return _result(sco=replay, enrollment=enrollment, lesson=lesson, replayed=True)
            attempt = _attempt(enrollment, lesson)
            sco = apply(enrollment, attempt)
            enrollment = _completion_check(
                user=user,
                lesson=lesson,
                enrollment=enrollment,
                attempt=attempt,
                package=lesson.package,
                moment=committed_at,
            )
            return _result(sco=sco, enrollment=enrollment, lesson=lesson, replayed=False)
    except IntegrityError:
        # Another request logged this event id first (the unique constraint is the last guard).
        if (replay := _replayed_result(user=user, lesson=lesson, event_id=event_id)) is not None:
            return replay
        raise


# -- the services -------------------------------------------------------------------------------


def runtime_commit(
    *,
    user: User,
    lesson: PackageLessonPage,
    item: str,
    event_id: uuid.UUID,
    committed_at: datetime,
    cmi: dict,
    terminate: bool,
    queued: bool = False,
) -> CommitResult:
    """Store a SCORM commit of `item` for `user`; see the module's docstring for the rules.
    `queued`: the commit is replayed from the device's outbox (its `committed_at` counts)."""
    if not lesson.live:
        raise NotEnrolled(_("This lesson is not published."), code="not_live")
    package = lesson.package
    if package.kind == Package.Kind.H5P:
        raise runtime.InvalidRuntimeData(
            _("This lesson plays an H5P package: send its xAPI statements."), element="cmi"
        )
    committed_at = _checked_time(committed_at, queued=queued)
    entry = _manifest_item(package, item)
    cleaned = runtime.cmi_clean(package.kind, cmi)
    asset = entry.get("scorm_type") == "asset"

    def apply(enrollment: Enrollment, attempt: PackageAttempt) -> ScoState:
        sco = _sco(attempt, item)
        stale = _stale(sco, committed_at, queued=queued)
        if terminate:
            # Time spent counts whenever it arrives (total_time is the LMS's sum of the
            # session times: SCORM 1.2 RTE 3.4.2.1.9, SCORM 2004 RTE 4.2.27).
            sco.total_time += _session_time(package.kind, cleaned)
            sco.session_count += 1
        if not stale:
            if _lesson_review(enrollment, attempt, lesson) and not asset:
                # Review (no-credit): resume data only, the record stays (SCORM 2004 RTE
                # 4.2.6 cmi.credit, 1.2 RTE 3.4.2.1.5 lesson_mode).
                sco.cmi = _merge(sco.cmi, _review_only(package.kind, cleaned))
            else:
                sco.cmi = _merge(sco.cmi, cleaned)
                _outcome_store(sco, _scorm_outcome(package, entry, sco.cmi))
            cmi_size_check(sco.cmi)
            sco.last_event_at = _newest(sco, committed_at)
        sco.save()
        RuntimeCommit.objects.create(
            event_id=event_id, sco=sco, committed_at=committed_at, terminate=terminate
        )
        return sco

    return _record(
        user=user, lesson=lesson, event_id=event_id, committed_at=committed_at, apply=apply
    )


def xapi_record(
    *,
    user: User,
    lesson: PackageLessonPage,
    event_id: uuid.UUID,
    committed_at: datetime,
    statement: dict,
    state: str | None,
    queued: bool = False,
) -> CommitResult:
    """Record an H5P xAPI statement (and H5P's user state) for `user`.

    Statements are events, not snapshots: a finishing one counts whenever it arrives (the best
    outcome is kept), while the user state of a stale event does not replace a newer one.
    The player also sends the content's interacted and progressed statements as state saves (a
    quiz left half-answered): their state is stored like any other, and as they do not finish
    (`XapiResult.finishing`), they never complete the lesson nor change its score.
    """
    if not lesson.live:
        raise NotEnrolled(_("This lesson is not published."), code="not_live")
    package = lesson.package
    if package.kind != Package.Kind.H5P:
        raise runtime.InvalidRuntimeData(
            _("This lesson plays a SCORM package: send its commits."),
            element="statement",
            code="invalid_statement",
        )
    committed_at = _checked_time(committed_at, queued=queued)
    result = runtime.xapi_statement_clean(statement)
    state = runtime.h5p_state_clean(state)

    def apply(enrollment: Enrollment, attempt: PackageAttempt) -> ScoState:
        sco = _sco(attempt, H5P_ITEM)
        stale = _stale(sco, committed_at, queued=queued)
        previous = runtime.Outcome(
            completion_status=sco.completion_status,
            success_status=sco.success_status,
            score_raw=sco.score_raw,
            score_min=sco.score_min,
            score_max=sco.score_max,
            score_scaled=sco.score_scaled,
        )
        _outcome_store(sco, runtime.h5p_outcome(previous, result, pass_mark=lesson.pass_mark))
        if not stale:
            if state is not None:
                sco.cmi = {**sco.cmi, "state": state}
            sco.last_event_at = _newest(sco, committed_at)
        if result.finishing:
            sco.session_count += 1
        sco.save()
        RuntimeCommit.objects.create(event_id=event_id, sco=sco, committed_at=committed_at)
        return sco

    return _record(
        user=user, lesson=lesson, event_id=event_id, committed_at=committed_at, apply=apply
    )

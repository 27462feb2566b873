"""A course's workload two ways: the JP it credits, and the minutes its lessons add up to.

JP (jam pelajaran) are what a learner is credited, in the ledger and on the certificate; the
lesson minutes are the editor's estimate of the study time. One JP is `LENTERA_MINUTES_PER_JP`
minutes (45 by convention, not by regulation), so the two can be compared, and an editor is
warned when they tell different stories (a course of "2 JP" whose lessons take 135 minutes).
"""

from decimal import Decimal

from django.conf import settings

#: How far the lesson minutes may stray from the declared JP before the two disagree: a quarter
#: of a JP (about 11 minutes at 45 minutes per JP), so an estimate of 80 minutes for a 2 JP
#: course (90 minutes) is no cause for a warning, and 135 minutes for 2 JP is.
JP_TOLERANCE = Decimal("0.25")


def jp_from_minutes(minutes: int) -> Decimal:
    """JP implied by a number of learning minutes (LENTERA_MINUTES_PER_JP, 45 by default)."""
    return (Decimal(minutes) / settings.LENTERA_MINUTES_PER_JP).quantize(Decimal("0.1"))


def jp_minutes(jp: Decimal) -> int:
    """The minutes of learning that `jp` JP stand for, rounded to the minute."""
    return int((Decimal(jp) * settings.LENTERA_MINUTES_PER_JP).to_integral_value())


def jp_and_minutes_disagree(*, jp: Decimal, minutes: int) -> bool:
    """Whether lessons of `minutes` minutes in all do not fit a course declared at `jp` JP.

    No lesson minutes yet (a course being written) is no disagreement.
    """
    if not minutes:
        return False
    implied = Decimal(minutes) / settings.LENTERA_MINUTES_PER_JP
    return abs(implied - Decimal(jp)) >= JP_TOLERANCE

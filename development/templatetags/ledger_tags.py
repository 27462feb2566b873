"""The JP block of the my-learning page: `learners` owns the page but not the ledger, which joins
its courses with development records, so the page asks for it with `{% my_jp user as jp %}`."""

from dataclasses import dataclass
from decimal import Decimal

from django import template

from development.ledger import JPLedger, current_year, jp_history, jp_ledger
from learners.models import User

register = template.Library()


@dataclass
class MyJP:
    """This year's ledger (with the records that do not count, marked) and the yearly history."""

    ledger: JPLedger
    history: list[tuple[int, Decimal]]


@register.simple_tag
def my_jp(user: User) -> MyJP:
    """`user`'s JP block, in four queries whatever the number of courses and records."""
    return MyJP(
        ledger=jp_ledger(user=user, year=current_year(), with_uncounted=True),
        history=jp_history(user=user),
    )

"""Ids beyond what an integer column holds match no row, whatever the database and however they
are looked up.

Django answers `pk=2**70` with no rows on an integer field, but not through a foreign key (the
`pk` of every Wagtail page type is its `page_ptr` foreign key, so a form's page choice or a
`provider_id` filter go that way) nor in `__in`: there SQLite cannot even bind the number (an
OverflowError, a 500 for `/katalog/?provider=99999999999999999999`). These lookups, registered
in `ContentConfig.ready`, drop such values before any SQL is written, as Django does for `exact`.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In


def _integer_range(lookup, connection) -> tuple[int | None, int | None] | None:
    """The values the looked-up column can hold, following foreign keys to their target; None
    for a column that is not an integer."""
    field = lookup.lhs.output_field
    while isinstance(field, ForeignObject) and len(field.foreign_related_fields) == 1:
        field = field.target_field
    if not isinstance(field, IntegerField):
        return None
    try:
        return connection.ops.integer_field_range(field.get_internal_type())
    except KeyError:  # an integer type the backend does not bound
        return None


def _fits(value, bounds) -> bool:
    if bounds is None or not isinstance(value, int) or isinstance(value, bool):
        return True
    low, high = bounds
    return (low is None or value >= low) and (high is None or value <= high)


class RelatedExactInRange(RelatedExact):
    """`fk=value`: no row when `value` is beyond the target column's range."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value() and not _fits(self.rhs, _integer_range(self, connection)):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)


class InRangeMixin:
    """`column__in=values`: values beyond the column's range are left out (none left: no row)."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            bounds = _integer_range(self, connection)
            self.rhs = [value for value in self.rhs if _fits(value, bounds)]
        return super().process_rhs(compiler, connection)


class IntegerInInRange(InRangeMixin, In):
    pass


class RelatedInInRange(InRangeMixin, RelatedIn):
    pass


def integer_lookups_register() -> None:
    IntegerField.register_lookup(IntegerInInRange)
    ForeignObject.register_lookup(RelatedExactInRange)
    ForeignObject.register_lookup(RelatedInInRange)

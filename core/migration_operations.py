"""Migration helpers for moving models from one app to another without copying a row.

Why content types matter: Wagtail pages, revisions, log entries, the reference and search
indexes, permissions and generic relations point at `django_content_type` rows by id. A model
moved with `SeparateDatabaseAndState` keeps its table, but Django would create a new content
type for the new app label and leave every page pointing at the old one (whose model no longer
exists, so `page.specific` fails). Renaming the rows in place keeps every id, and so every
reference, valid.

Used by the migrations of `quizzes` and `evaluation` (moved out of `assessments`); migrations
import it, so keep its behaviour stable.
"""

from django.db import migrations


def _references_repoint(apps, *, using: str, keep, drop) -> None:
    """Move everything that points at content type `drop` to `keep`, then delete `drop`.

    `drop` is a row Django created for the new label (`post_migrate` runs after any `migrate`,
    even one that stopped before the move): its permissions duplicate those of `keep`, so the
    duplicates go (with any group assignment of them, which cannot predate the move) and the
    others follow `keep`; any other row pointing at `drop` is repointed.
    """
    Permission = apps.get_model("auth", "Permission")
    kept_codenames = set(
        Permission.objects.using(using).filter(content_type=keep).values_list("codename", flat=True)
    )
    dropped = Permission.objects.using(using).filter(content_type=drop)
    dropped.filter(codename__in=kept_codenames).delete()
    dropped.update(content_type=keep)
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed or model is Permission:
            continue
        for field in model._meta.concrete_fields:
            if field.many_to_one and field.related_model._meta.label_lower == (
                "contenttypes.contenttype"
            ):
                model._base_manager.using(using).filter(**{field.attname: drop.pk}).update(
                    **{field.attname: keep.pk}
                )
    drop.delete()


def content_types_rename(
    apps, schema_editor, *, from_app: str, to_app: str, models: tuple[str, ...]
) -> None:
    """Relabel the content types of `models` (lowercase names) from `from_app` to `to_app`."""
    using = schema_editor.connection.alias
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in models:
        old = ContentType.objects.using(using).filter(app_label=from_app, model=model).first()
        if old is None:
            continue  # a fresh database: post_migrate creates the new rows
        new = ContentType.objects.using(using).filter(app_label=to_app, model=model).first()
        if new is not None:
            _references_repoint(apps, using=using, keep=old, drop=new)
        old.app_label = to_app
        old.save(update_fields=["app_label"])


def ContentTypesMove(*, from_app: str, to_app: str, models: tuple[str, ...]):  # noqa: N802
    """A reversible `RunPython` that moves `models`' content types from `from_app` to `to_app`.

    Depend on `contenttypes` and `auth` migrations in the migration that uses it.
    """

    def forwards(apps, schema_editor):
        content_types_rename(apps, schema_editor, from_app=from_app, to_app=to_app, models=models)

    def backwards(apps, schema_editor):
        content_types_rename(apps, schema_editor, from_app=to_app, to_app=from_app, models=models)

    return migrations.RunPython(forwards, backwards, elidable=False)

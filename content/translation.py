"""Content in Indonesian and English (wagtail-localize).

Indonesian is the source language. Every page is served from the Indonesian tree under both
prefixes (`serve`), so a course, module or lesson has one id whatever language it is read in:
enrollments, progress, completions, certificates and JP, all keyed on those ids, are the same for a
learner who switches language. Under /en/ a page shows the text of its live English translation
(`localize_page`), or its Indonesian text with a "not yet translated" notice.

The English tree that wagtail-localize keeps (translations, and aliases of the parents a
translation needed) is where editors translate. It is never served itself: its pages' text is read
by translation key, and listings read the Indonesian pages only (`source_locale_id`).
"""

from functools import cache as once

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import GroupPagePermission, Locale, Page, Site, WorkflowPage


def source_language() -> str:
    """The content language pages are written in first (Indonesian), also where the interface's
    default language is another."""
    return get_supported_content_language_variant(settings.LENTERA_CONTENT_SOURCE_LANGUAGE)


def content_language() -> str:
    """The content language of the request's interface language."""
    try:
        return get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return source_language()


def reads_translation() -> bool:
    """Whether the active language is one pages are translated into, not their source."""
    return content_language() != source_language()


def source_locale_id() -> int:
    """The id of the source language's locale, read once per process with every other locale's
    (locales are added, never renumbered: the admin's Locales view refuses to delete a locale
    in use)."""
    return locale_id(source_language())


_locale_ids: dict[str, int] = {}


def locale_id(language_code: str) -> int:
    """The id of a language's locale: one query the first time, and again for a locale added
    since."""
    if language_code not in _locale_ids:
        _locale_ids.update(Locale.objects.values_list("language_code", "pk"))
    return _locale_ids[language_code]


def locale_code(locale_pk: int) -> str:
    """The language code of a locale by its id, from the same ids (no query once read)."""
    for code, pk in _locale_ids.items():
        if pk == locale_pk:
            return code
    _locale_ids.update(Locale.objects.values_list("language_code", "pk"))
    return next(code for code, pk in _locale_ids.items() if pk == locale_pk)


def source_pages(queryset: models.QuerySet) -> models.QuerySet:
    """Pages of the source language only: what listings, search and counts read."""
    return queryset.filter(locale_id=source_locale_id())


@once
def translated_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The model's own text fields an editor translates (not the slug: URLs stay Indonesian)."""
    from wagtail_localize.fields import TranslatableField, get_translatable_fields

    names = []
    for declared in get_translatable_fields(model):
        if not isinstance(declared, TranslatableField) or declared.field_name == "slug":
            continue
        try:
            field = model._meta.get_field(declared.field_name)
        except Exception:  # noqa: S112 (a child relation or a method: not copied onto a page)
            continue
        if field.concrete and not field.is_relation:
            names.append(field.attname)
    return tuple(names)


def translation_of(page: Page, language: str) -> Page | None:
    """The live translation of a source page into a language (not an alias), one query."""
    return (
        type(page)
        .objects.filter(
            translation_key=page.translation_key,
            locale__language_code=language,
            live=True,
            alias_of__isnull=True,
        )
        .exclude(pk=page.pk)
        .first()
    )


def translated_title_of(page_id: int, language: str | None = None) -> str:
    """The title of the live translation of the page with this id into a language (the
    request's by default), or "" when it has none or the language is the source's; one query."""
    language = language or content_language()
    if language == source_language():
        return ""
    source_key = Page.objects.filter(pk=page_id).values("translation_key")
    return (
        Page.objects.filter(
            translation_key=models.Subquery(source_key[:1]),
            locale__language_code=language,
            live=True,
            alias_of__isnull=True,
        )
        .exclude(pk=page_id)
        .values_list("title", flat=True)
        .first()
        or ""
    )


def localize_page(request: HttpRequest, page: Page) -> Page:
    """Show a source page in the request's language: its translation's text on the same page
    object (ids, relations and URLs stay the source's), or a mark for the untranslated notice."""
    page.lentera_untranslated = False
    if not reads_translation() or page.locale_id != source_locale_id():
        return page
    translated = translation_of(page, content_language())
    if translated is None:
        page.lentera_untranslated = True
        return page
    for name in translated_fields(type(page)):
        setattr(page, name, getattr(translated, name))
    page.lentera_translation = translated
    return page


def translated_titles(translation_keys, language: str | None = None) -> dict:
    """{translation key: title} of the live translations of these pages, one query (none in
    the source language)."""
    language = language or content_language()
    keys = list(translation_keys)
    if language == source_language() or not keys:
        return {}
    return dict(
        Page.objects.filter(
            translation_key__in=keys,
            locale__language_code=language,
            live=True,
            alias_of__isnull=True,
        ).values_list("translation_key", "title")
    )


def serve(request: HttpRequest, path: str) -> HttpResponse:
    """Wagtail's serve view, routed through the site's own (Indonesian) root page whatever the
    language, then the page shown in the request's language (`localize_page`)."""
    if not hasattr(request, "_wagtail_route_for_request"):
        site = Site.find_for_request(request)
        route = None
        if site is not None:
            try:
                route = site.root_page.specific.route(
                    request, [part for part in path.split("/") if part]
                )
            except Http404:
                route = None
        request._wagtail_route_for_request = route
    route = request._wagtail_route_for_request
    if route is not None:
        localize_page(request, route[0])
    # Imported here: wagtail.views loads the page model, and page models import this module.
    from wagtail.views import serve as wagtail_serve

    return wagtail_serve(request, path)


def submit_page_translation(request: HttpRequest, page_id: int, **kwargs) -> HttpResponse:
    """wagtail-localize's "Translate this page", for people who may edit the page only: its own
    view checks the global translation permission alone, so an editor of one organization
    could otherwise translate (and so create pages under) another's section."""
    from wagtail_localize.views.submit_translations import SubmitPageTranslationView

    page = get_object_or_404(Page, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return SubmitPageTranslationView.as_view()(request, page_id=page_id, **kwargs)


def update_translations(request: HttpRequest, translation_source_id: int, **kwargs) -> HttpResponse:
    """wagtail-localize's "Sync translated pages", for people who may edit the source only: its
    own view checks the global translation permission alone, and syncing (with "Publish
    immediately") would rewrite and publish another organization's translations."""
    from wagtail_localize.models import TranslationSource
    from wagtail_localize.views.edit_translation import user_can_edit_instance
    from wagtail_localize.views.update_translations import UpdateTranslationsView

    source = get_object_or_404(TranslationSource, pk=translation_source_id)
    try:
        instance = source.get_source_instance()
    except models.ObjectDoesNotExist:
        raise Http404 from None
    if not user_can_edit_instance(request.user, instance):
        raise PermissionDenied
    return UpdateTranslationsView.as_view()(
        request, translation_source_id=translation_source_id, **kwargs
    )


def snippets_api(
    request: HttpRequest, app_label: str, model_name: str, pk: str | None = None
) -> HttpResponse:
    """wagtail-localize's snippet lookups for its translation editor, for people who may edit
    that kind of snippet only: its own view lists any snippet model to anyone in the admin (the
    trainers of every course, for one). Only translatable snippets are looked up by its editor;
    organization-scoped snippets are never listed whole."""
    from wagtail.models import TranslatableMixin
    from wagtail.snippets.permissions import user_can_edit_snippet_type
    from wagtail.snippets.views.snippets import get_snippet_model_from_url_params
    from wagtail_localize.views.snippets_api import SnippetViewSet

    model = get_snippet_model_from_url_params(app_label, model_name)
    if not issubclass(model, TranslatableMixin):
        raise Http404
    if not user_can_edit_snippet_type(request.user, model):
        raise PermissionDenied
    kwargs = {"app_label": app_label, "model_name": model_name}
    if pk is None:
        return SnippetViewSet.as_view({"get": "list"})(request, **kwargs)
    return SnippetViewSet.as_view({"get": "retrieve"})(request, pk=pk, **kwargs)


def translations_report(request: HttpRequest, *, results_only: bool = False) -> HttpResponse:
    """wagtail-localize's Translations report, listing the translations of what the person may
    edit: its own view lists every translation (other organizations' draft titles included) to
    anyone in the admin."""
    from wagtail.models import TranslatableMixin
    from wagtail.permission_policies.pages import PagePermissionPolicy
    from wagtail.snippets.models import get_snippet_models
    from wagtail.snippets.permissions import user_can_edit_snippet_type
    from wagtail_localize.views.report import TranslationsReportView

    class OwnTranslationsReportView(TranslationsReportView):
        def get_queryset(self):
            queryset = super().get_queryset()
            user = self.request.user
            if user.is_superuser:
                return queryset
            pages = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
            snippet_types = [
                model
                for model in get_snippet_models()
                if issubclass(model, TranslatableMixin) and user_can_edit_snippet_type(user, model)
            ]
            return queryset.filter(
                models.Q(source__object__translation_key__in=pages.values("translation_key"))
                | models.Q(
                    source__specific_content_type__in=[
                        ContentType.objects.get_for_model(model) for model in snippet_types
                    ]
                )
            )

    return OwnTranslationsReportView.as_view(results_only=results_only)(request)


def copy_section_access(sender, source_obj, target_obj, **kwargs) -> None:
    """A translation (or alias) of a page carries the source's page permissions and moderation
    workflow, so an organization's editors and moderators work on their section's English copy
    exactly as on the Indonesian one, and no one else does."""
    if not isinstance(source_obj, Page):
        return
    GroupPagePermission.objects.bulk_create(
        [
            GroupPagePermission(group_id=group_id, permission_id=permission_id, page=target_obj)
            for group_id, permission_id in GroupPagePermission.objects.filter(
                page=source_obj
            ).values_list("group_id", "permission_id")
        ],
        ignore_conflicts=True,
    )
    workflow = WorkflowPage.objects.filter(page=source_obj).values_list("workflow_id", flat=True)
    for workflow_id in workflow:
        WorkflowPage.objects.update_or_create(
            page=target_obj, defaults={"workflow_id": workflow_id}
        )


def localize_listing(pages) -> list:
    """Source pages of one type listed in the request's language: each one's title and summary
    from its live translation where there is one, one query for the list (none in Indonesian)."""
    pages = list(pages)
    if not pages or not reads_translation():
        return pages
    model = type(pages[0])
    fields = ["translation_key", "title"] + (["summary"] if hasattr(model, "summary") else [])
    texts = {
        row[0]: row[1:]
        for row in model.objects.filter(
            translation_key__in=[page.translation_key for page in pages],
            locale__language_code=content_language(),
            live=True,
            alias_of__isnull=True,
        ).values_list(*fields)
    }
    for page in pages:
        text = texts.get(page.translation_key)
        if text is not None:
            page.title = text[0]
            if len(text) > 1:
                page.summary = text[1]
    return pages


def translated_snippet_field(
    model: type[models.Model], field: str, *, key: str = "translation_key"
) -> models.Subquery | None:
    """`field` of the translation into the request's language of the snippet (a competency)
    whose translation key the outer query's `key` holds, as an expression to annotate or
    select with: part of the query that reads the snippets, so it costs no query of its own
    whatever their number. None in the source language (and for a language without a locale),
    where the query is left exactly as it was."""
    if not reads_translation():
        return None
    try:
        translated_locale = locale_id(content_language())
    except KeyError:
        return None
    return models.Subquery(
        model.objects.filter(translation_key=models.OuterRef(key), locale_id=translated_locale)
        .order_by()
        .values(field)[:1]
    )


def with_translated_snippet_field(
    queryset: models.QuerySet,
    model: type[models.Model],
    field: str,
    *,
    into: str,
    key: str = "translation_key",
) -> models.QuerySet:
    """The queryset with `into` annotated: `field` of the snippet's translation into the
    request's language, or None where it has none (`translated_snippet_field`). Unchanged in
    the source language."""
    expression = translated_snippet_field(model, field, key=key)
    return queryset if expression is None else queryset.annotate(**{into: expression})


def source_snippets(queryset: models.QuerySet) -> models.QuerySet:
    """Translatable snippets (competencies) in their source language only, for choices and
    look-ups by code: the first of each translation key (a translation is always a copy made
    after its source). Decided by the database when the query runs, so that a form's class-level
    queryset bakes no language in when its module is imported."""
    earlier = queryset.model.objects.filter(
        translation_key=models.OuterRef("translation_key"), pk__lt=models.OuterRef("pk")
    )
    return queryset.exclude(models.Exists(earlier))

"""URL map: operational endpoints, the admin and the APIs unprefixed; site pages under
i18n_patterns (Indonesian at /, English at /en/)."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from content import translation
from lentera import views
from lentera.api import api_router
from lentera.learner_api import api as learner_api

# Bad input gets a clear answer in the user's language (HTML, or JSON under /api/).
handler400 = "lentera.views.bad_request"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Every way in goes through allauth (and its MFA step), Wagtail's own login included;
    # people signed in without admin access are told why (WAGTAILADMIN_LOGIN_URL).
    path("admin/login/", views.admin_login, name="admin_login"),
    # wagtail-localize's "Translate this page" for those who may edit the page only.
    path(
        "admin/localize/submit/page/<int:page_id>/",
        require_admin_access(translation.submit_page_translation),
    ),
    # Its "Sync translated pages", likewise.
    path(
        "admin/localize/update/<int:translation_source_id>/",
        require_admin_access(translation.update_translations),
    ),
    # And its snippet lookups.
    path(
        "admin/localize/api/snippets/<slug:app_label>/<slug:model_name>/",
        require_admin_access(translation.snippets_api),
    ),
    path(
        "admin/localize/api/snippets/<slug:app_label>/<slug:model_name>/<str:pk>/",
        require_admin_access(translation.snippets_api),
    ),
    # And its Translations report.
    path(
        "admin/localize/reports/translations/",
        require_admin_access(translation.translations_report),
    ),
    path(
        "admin/localize/reports/translations/results/",
        require_admin_access(translation.translations_report),
        {"results_only": True},
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("api/v1/", learner_api.urls),
    # SCORM and H5P packages: answered on the package origin only, 404 on the site
    # (packages/middleware.py).
    path("", include("packages.urls")),
    # LTI 1.3: the addresses a platform registers (key set, login, launch) stay unprefixed.
    path("", include("lti.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The URLs stay put when Wagtail's content translation arrives.
urlpatterns += i18n_patterns(
    # The web app manifest and the service worker (at the root in Indonesian, the unprefixed
    # language) and the offline page (offline/urls.py).
    path("", include("offline.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("learners.urls")),
    path("", include("quizzes.urls")),
    path("", include("evaluation.urls")),
    path("", include("development.urls")),
    path("", include("coaching.urls")),
    path("", include("planning.urls")),
    path("", include("paths.urls")),
    path("", include("team.urls")),
    path("", include("cohorts.urls")),
    path("", include("discussions.urls")),
    path("", include("live.urls")),
    path("", include("notifications.urls")),
    path("", include("projects.urls")),
    path("", include("assignments.urls")),
    path("", include("privacy.urls")),
    path("", include("content.urls")),  # the data-saver toggle
    path("", include("compliance.urls")),
    path("", include("search.urls")),
    path("", include("credentials.urls")),
    # Pages from the Indonesian tree in either language, with their English text under /en/.
    re_path(r"^((?:[\w\-]+/)*)$", translation.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

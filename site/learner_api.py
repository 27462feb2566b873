"""The learner API (/api/v1/), assembled: one `NinjaAPI` (session authentication with CSRF on
unsafe methods, optional JSON bodies, the error bodies of `core.api`) and each app's router.

No app hosts it: learners, development, planning, quizzes, packages, cohorts, compliance,
offline, notifications, credentials and xapi each declare a router, and the site, which wires
every app, adds them here in the order the schema lists them.
"""

from ninja import NinjaAPI
from ninja.security import django_auth

from cohorts.api import router as cohort_router
from compliance.api import router as compliance_router
from core.api import OptionalJSONBodyParser, coded_errors_add, error_handlers_add
from credentials.api import router as credentials_router
from development.api import refusals_add
from development.api import router as development_router
from learners.api import router as learner_router
from learners.errors import LearningError
from notifications.api import router as notifications_router
from offline.api import router as offline_router
from packages.api import router as packages_router
from planning.api import router as planning_router
from quizzes.api import router as quiz_router
from xapi.api import router as xapi_router

api = NinjaAPI(
    title="Lentera learner API",
    version="1",
    urls_namespace="learner-api",
    auth=django_auth,
    docs_url="docs",
    parser=OptionalJSONBodyParser(),
)
error_handlers_add(api)
coded_errors_add(api, LearningError)
refusals_add(api)

api.add_router("", learner_router)
api.add_router("", development_router)
api.add_router("", planning_router)
api.add_router("", quiz_router)
api.add_router("", packages_router)
api.add_router("", cohort_router)
api.add_router("", compliance_router)
api.add_router("", offline_router)
api.add_router("", notifications_router)
api.add_router("", credentials_router)
api.add_router("", xapi_router)

"""LTI 1.3 endpoints, outside the language prefixes: platforms register these addresses once."""

from django.urls import path

from lti import views

app_name = "lti"

urlpatterns = [
    path("lti/jwks/", views.jwks, name="jwks"),
    path("lti/login/", views.oidc_login, name="login"),
    path("lti/launch/", views.launch, name="launch"),
    path("lti/link/", views.link, name="link"),
    path("lti/deep-link/", views.deep_link, name="deep_link"),
]

"""The editors' admin (/admin/) for people signed in without access to it: a 403 page that says
why, instead of a redirect loop (Wagtail sent them to the sign-in page, which sends people who
are signed in back to /admin/)."""

import pytest
from django.test import Client
from django.urls import reverse

from learners.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(site_tree):
    return UserFactory(email="budi@instansi.go.id", full_name="Budi Santoso")


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/admin/login/?next=/admin/"])
def test_learner_asking_for_the_admin_gets_a_403_page_saying_why(client_for, learner, path):
    response = client_for(learner).get(path, follow=True)

    assert len(response.redirect_chain) <= 1
    assert response.status_code == 403
    html = response.content.decode()
    assert "Budi Santoso" in html
    assert "budi@instansi.go.id" in html
    assert "Akun Anda tidak memiliki akses ke halaman admin editor." in html
    assert f'href="{reverse("learners:my_learning")}"' in html
    assert f'action="{reverse("account_logout")}"' in html


def test_the_403_page_speaks_english_to_an_english_browser(client_for, learner):
    response = client_for(learner).get("/admin/", follow=True, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    html = response.content.decode()
    assert "Your account has no access to the editors' admin." in html
    assert "Budi Santoso" in html
    # Wagtail's shorter message, queued on the way in the admin's language, is not repeated.
    assert "izin" not in html


def test_editor_still_gets_the_admin(client_for, editor_a):
    response = client_for(editor_a).get("/admin/")

    assert response.status_code == 200


def test_anonymous_visitor_still_goes_to_the_sign_in_page(site_tree):
    response = Client().get("/admin/pages/", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"{reverse('account_login')}?next=/admin/pages/"

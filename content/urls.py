"""Site URLs of the content app: the data-saver toggle."""

from django.urls import path

from content import views

app_name = "content"

urlpatterns = [
    path("hemat-data/", views.data_saver_toggle, name="data_saver"),
]

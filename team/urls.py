"""The supervisor's team: the team page and one member's page."""

from django.urls import path

from team import views

app_name = "team"

urlpatterns = [
    path("saya/tim/", views.my_team, name="my_team"),
    path("saya/tim/<int:user_id>/", views.member_detail, name="member_detail"),
]

"""Competency profiles and development plans (IDP): the learner's own, the confirmed
supervisor's and HR's views, and the supervisor's decisions."""

from django.urls import path

from planning import views

app_name = "planning"

urlpatterns = [
    path("saya/kompetensi/", views.my_profile, name="my_profile"),
    path("saya/kompetensi/<int:user_id>/", views.person_profile, name="person_profile"),
    path("saya/rencana/", views.plan_index, name="plan_index"),
    path("saya/rencana/tim/", views.team_plans, name="team_plans"),
    path("saya/rencana/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("saya/rencana/<int:pk>/kegiatan/baru/", views.item_create, name="item_create"),
    path("saya/rencana/<int:pk>/kegiatan/<int:item_id>/ubah/", views.item_edit, name="item_edit"),
    path(
        "saya/rencana/<int:pk>/kegiatan/<int:item_id>/hapus/",
        views.item_delete,
        name="item_delete",
    ),
    path("saya/rencana/<int:pk>/ajukan/", views.plan_submit, name="plan_submit"),
    path("saya/rencana/<int:pk>/putuskan/", views.plan_decide, name="plan_decide"),
]

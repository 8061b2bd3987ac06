from django.urls import include, path

from . import views

app_name = "rectification"
urlpatterns: list = [
    path("", views.ledger, name="ledger"),
    path("measures/new/", views.measure_create, name="measure_create"),
    path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/progress/", views.progress_add, name="progress_add"),
    path("measures/<int:pk>/<str:action>/", views.transition, name="transition"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", views.round_create, name="round_edit"),
    path("rounds/<int:round_pk>/problems/new/", views.problem_create, name="problem_create"),
    path("problems/<int:pk>/edit/", views.problem_create, name="problem_edit"),
    # The import (问题清单) and export pages live in their own module.
    path("", include("rectification.urls_io")),
]

from django.urls import path

from . import views_reports as views

urlpatterns = [
    path("reports/", views.report_list, name="reports"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/<int:pk>/row/", views.report_row, name="report_row"),
    path("reports/<int:pk>/retry/", views.report_retry, name="report_retry"),
    path("reports/<int:pk>/<str:fmt>/", views.report_download, name="report_download"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("", views.report_list, name="reports"),
    path("new/", views.report_new, name="report_new"),
    path("text/<str:month>/", views.narrative_save, name="report_text"),
    path("<int:pk>/row/", views.report_row, name="report_row"),
    path("<int:pk>/retry/", views.report_retry, name="report_retry"),
    path("<int:pk>/<str:fmt>/", views.report_download, name="report_download"),
]

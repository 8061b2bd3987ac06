from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/", views.digest_detail, name="reminder_digest"),
    path("robots/", views.robot_list, name="robots"),
    path("robots/<int:pk>/edit/", views.robot_edit, name="robot_edit"),
    path("robots/<int:pk>/delete/", views.robot_delete, name="robot_delete"),
]

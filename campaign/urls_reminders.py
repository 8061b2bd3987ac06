from django.urls import path

from . import views_reminders

urlpatterns: list = [
    path("reminders/<int:pk>/", views_reminders.digest_detail, name="reminder_digest"),
]

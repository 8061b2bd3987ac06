from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/", views.digest_detail, name="reminder_digest"),
]

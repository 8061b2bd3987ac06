from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/open/", views.open_notice, name="open_notice"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("settings/", views.notification_settings, name="notification_settings"),
]

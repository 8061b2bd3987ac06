from django.urls import path

from . import views

urlpatterns = [
    path("", views.group, name="group"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("oversight/", views.oversight_edit, name="oversight_edit"),
    path("<int:year>/", views.group, name="group_year"),
    path("<int:year>/edit/", views.campaign_edit, name="campaign_edit"),
    path("<int:year>/members/", views.group_edit, name="group_edit"),
]

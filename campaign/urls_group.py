from django.urls import path

from . import views_group

urlpatterns = [
    path("campaign/", views_group.group, name="group"),
    path("campaign/new/", views_group.campaign_create, name="campaign_create"),
    path("campaign/oversight/", views_group.oversight_edit, name="oversight_edit"),
    path("campaign/<int:year>/", views_group.group, name="group_year"),
    path("campaign/<int:year>/edit/", views_group.campaign_edit, name="campaign_edit"),
    path("campaign/<int:year>/members/", views_group.group_edit, name="group_edit"),
]

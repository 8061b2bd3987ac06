from django.urls import include, path

app_name = "campaign"
urlpatterns = [
    path("dashboard/", include("campaign.dashboard.urls")),
    path("campaign/", include("campaign.group.urls")),
    path("reports/", include("campaign.reports.urls")),
    path("reminders/", include("campaign.reminders.urls")),
]

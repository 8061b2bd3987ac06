from django.urls import include, path

app_name = "campaign"
urlpatterns = [
    path("", include("campaign.urls_dashboard")),  # /dashboard/
    path("", include("campaign.urls_group")),  # /campaign/ (the leadership group)
    path("", include("campaign.urls_reports")),  # /reports/
    path("", include("campaign.urls_reminders")),
]

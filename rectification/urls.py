from django.urls import include, path

app_name = "rectification"
urlpatterns: list = [
    # The import (问题清单) and export pages live in their own module.
    path("", include("rectification.urls_io")),
]

from django.urls import path

from . import views

app_name = "partybuilding"
urlpatterns = [
    path("", views.home, name="home"),
]

from django.urls import path

from . import views

app_name = "cadres"
urlpatterns = [
    path("", views.cadre_list, name="cadre_list"),
    path("<int:pk>/", views.cadre_detail, name="cadre_detail"),
    path("departments/", views.department_list, name="department_list"),
    path("departments/<int:pk>/", views.department_detail, name="department_detail"),
]

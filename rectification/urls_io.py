from django.urls import path

from . import views_io

# Included by rectification/urls.py inside the "rectification" namespace.
urlpatterns: list = [
    path("import/", views_io.import_feedback, name="import_feedback"),
    path("import/template/", views_io.import_template, name="import_template"),
    path("export/", views_io.ledger_export, name="ledger_export"),
]

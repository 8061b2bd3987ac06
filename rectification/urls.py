"""/rectification/: the ledger, measures and their sign-off, rounds and problems, the
feedback-list import and the ledger's export. URL names are a contract (templates,
the dashboard and reports reverse them)."""

from django.urls import path

from .views import extensions, imports, ledger, measures, risk_findings, rounds, signoff

app_name = "rectification"
urlpatterns: list = [
    path("", ledger.ledger, name="ledger"),
    path("export/", ledger.ledger_export, name="ledger_export"),
    path("measures/new/", measures.measure_create, name="measure_create"),
    path("measures/<int:pk>/", measures.measure_detail, name="measure_detail"),
    path("measures/<int:pk>/edit/", measures.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/progress/", measures.progress_add, name="progress_add"),
    path("measures/<int:pk>/extension/", extensions.extension_request, name="extension_request"),
    path("measures/<int:pk>/<str:action>/", signoff.transition, name="transition"),
    path("extensions/<int:pk>/<str:action>/", extensions.extension_decide, name="extension_decide"),
    path("evidence/<int:pk>/", measures.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/preview/", measures.evidence_preview, name="evidence_preview"),
    path("rounds/", rounds.round_list, name="round_list"),
    path("rounds/new/", rounds.round_create, name="round_create"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", rounds.round_edit, name="round_edit"),
    path("rounds/<int:round_pk>/problems/new/", rounds.problem_create, name="problem_create"),
    path("problems/<int:pk>/edit/", rounds.problem_edit, name="problem_edit"),
    path("import/", imports.import_feedback, name="import_feedback"),
    path("import/template/", imports.import_template, name="import_template"),
    path("from-risk/<int:pk>/", risk_findings.problem_from_risk, name="problem_from_risk"),
]

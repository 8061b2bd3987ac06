"""/cadres/: the roster and records, the risk ledger and its review, the rotation planner
and plans, young cadres at the front line, talks and their coverage. The paths /cadres/risks/,
/cadres/rotation/, /cadres/talks/ and /cadres/talks/coverage/ are a contract."""

from django.urls import path

from .views import records, risks, rotation, talks

app_name = "cadres"
urlpatterns = [
    path("", records.cadre_list, name="cadre_list"),
    path("new/", records.cadre_create, name="cadre_create"),
    path("import/", records.roster_import, name="roster_import"),
    path("<int:pk>/", records.cadre_detail, name="cadre_detail"),
    path("<int:pk>/edit/", records.cadre_edit, name="cadre_edit"),
    path("<int:pk>/move/", records.cadre_move, name="cadre_move"),
    path("<int:pk>/holdings/new/", records.holding_create, name="holding_create"),
    path("holdings/<int:pk>/", records.holding_edit, name="holding_edit"),
    path("<int:pk>/relatives/new/", records.relation_create, name="relation_create"),
    path("relatives/<int:pk>/delete/", records.relation_delete, name="relation_delete"),
    path("<int:pk>/deferral/", records.deferral_create, name="deferral_create"),
    path("departments/", records.department_list, name="department_list"),
    path("departments/new/", records.department_form, name="department_create"),
    path("departments/<int:pk>/", records.department_detail, name="department_detail"),
    path("departments/<int:pk>/edit/", records.department_form, name="department_edit"),
    path("posts/new/", records.post_form, name="post_create"),
    path("posts/<int:pk>/edit/", records.post_form, name="post_edit"),
    path("risks/", risks.risk_list, name="risk_list"),
    path("risks/new/", risks.risk_form, name="risk_create"),
    path("risks/<int:pk>/edit/", risks.risk_form, name="risk_edit"),
    path("risks/import/", risks.risk_import, name="risk_import"),
    path("risks/review/", risks.review, name="risk_review"),
    path("risks/review/posts/<int:pk>/", risks.review_post, name="review_post"),
    path("rotation/", rotation.planner, name="planner"),
    path("rotation/plans/new/", rotation.plan_create, name="plan_create"),
    path("rotation/plans/<int:pk>/", rotation.plan_detail, name="plan_detail"),
    path("rotation/plans/<int:pk>/pdf/", rotation.plan_pdf, name="plan_pdf"),
    path("rotation/plans/<int:pk>/<str:action>/", rotation.plan_action, name="plan_action"),
    path("rotation/items/<int:pk>/", rotation.item_edit, name="item_edit"),
    path("rotation/items/<int:pk>/execute/", rotation.item_execute, name="item_execute"),
    path("young/", rotation.young, name="young"),
    path("young/placements/new/", rotation.placement_form, name="placement_create"),
    path("young/placements/<int:pk>/", rotation.placement_form, name="placement_edit"),
    path("talks/", talks.talk_list, name="talk_list"),
    path("talks/new/", talks.talk_form, name="talk_create"),
    path("talks/coverage/", talks.talk_coverage, name="talk_coverage"),
    path("talks/<int:pk>/", talks.talk_detail, name="talk_detail"),
    path("talks/<int:pk>/edit/", talks.talk_form, name="talk_edit"),
]

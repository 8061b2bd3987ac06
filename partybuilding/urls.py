"""/partybuilding/: the area's home, meetings (list, plan, record, PDF, sign-in), attendance
(hand sign-in, leave, make-up study), compliance, activity days, a branch's organisation
(committee, groups, members, exemptions) and its archive. The paths and names are a contract (templates, the dashboard, the report and reminders use them)."""

from django.urls import path

from .views import attendance, branches, meetings, overview

app_name = "partybuilding"
urlpatterns = [
    path("", overview.home, name="home"),
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/record.pdf", meetings.record_pdf, name="record_pdf"),
    path("meetings/<int:pk>/qr/", attendance.signin_qr, name="signin_qr"),
    path("meetings/<int:pk>/sign-in/", attendance.sign_in, name="sign_in"),
    path("meetings/<int:pk>/leave/", attendance.leave_request, name="leave_request"),
    path("attendance/<int:pk>/sign-in/", attendance.sign_in_for, name="sign_in_for"),
    path("attendance/<int:pk>/leave/", attendance.leave_decision, name="leave_decision"),
    path("attendance/<int:pk>/makeup/", attendance.makeup, name="makeup"),
    path("attachments/<int:pk>/", meetings.attachment_download, name="attachment_download"),
    path("compliance/", overview.compliance_view, name="compliance"),
    path("activity-days/", overview.activity_days, name="activity_days"),
    path("branches/", branches.branch_list, name="branch_list"),
    path("branches/<int:pk>/", branches.branch_detail, name="branch_detail"),
    path("branches/<int:pk>/archive/", overview.branch_archive, name="branch_archive"),
    path("branches/<int:pk>/committee/", branches.committee_edit, name="committee_edit"),
    path("branches/<int:pk>/members/new/", branches.member_add, name="member_add"),
    path("branches/<int:pk>/members/<int:membership_id>/", branches.member_edit, name="member_edit"),
    path("branches/<int:pk>/members/<int:membership_id>/end/", branches.member_end, name="member_end"),
    path("branches/<int:pk>/groups/new/", branches.group_form, name="group_add"),
    path("branches/<int:pk>/groups/<int:group_id>/", branches.group_form, name="group_edit"),
    path("branches/<int:pk>/groups/<int:group_id>/remove/", branches.group_remove, name="group_remove"),
    path("branches/<int:pk>/exemptions/new/", branches.exemption_add, name="exemption_add"),
    path("branches/<int:pk>/exemptions/<int:exemption_id>/remove/", branches.exemption_remove, name="exemption_remove"),
]

"""Party building's data and its invariants: branches (and the theory-study centre group,
recorded the same way), Party groups, memberships with their committee posts, meetings
(三会一课, 主题党日, 中心组学习, 组织生活会, 民主评议党员) with their attendance, sign-in,
leave and make-up study (补学), attachments, and exemptions from an obligation.

What a meeting needs to be valid (quorum, who may record it) is checked in services.py;
what is met or missing is obligations.py and compliance.py.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Collate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cadres.models import STROKE_COLLATION, Cadre, Department
from core import dates


def _signin_code() -> str:
    return secrets.token_urlsafe(12)


class Branch(models.Model):
    """A Party branch (党支部) of the bureau's organs and the departments it covers, or the
    Party group's theory-study centre group (党组理论学习中心组), kept the same way.

    `secretary` and `commissioner` are the two people who plan and record the branch's
    meetings (for the centre group: its 组长 and its study secretary). They follow the
    committee posts of the memberships (organisation.set_committee keeps them in step)."""

    class Kind(models.TextChoices):
        BRANCH = "branch", _("Party branch")
        CENTRE_GROUP = "centre_group", _("theory-study centre group")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.BRANCH)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    founded_on = models.DateField(
        _("founded on"), null=True, blank=True, help_text=_("Obligations start in the month after this date.")
    )
    secretary = models.ForeignKey(
        Cadre, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("branch secretary")
    )
    commissioner = models.ForeignKey(
        Cadre,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation commissioner"),
    )
    departments = models.ManyToManyField(
        Department, blank=True, related_name="party_branches", verbose_name=_("departments covered")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("Party branch")
        verbose_name_plural = _("Party branches")

    def __str__(self):
        return self.name

    @property
    def is_centre_group(self) -> bool:
        return self.kind == self.Kind.CENTRE_GROUP


class PartyGroup(models.Model):
    """A Party group (党小组) of a branch, with its leader (组长). A group that held meetings
    is not deleted when it is removed (merged, reorganised) but dissolved: its meetings
    stay, and it owes no group meeting from the month it was dissolved."""

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="groups", verbose_name=_("branch"))
    name = models.CharField(_("name"), max_length=100)
    leader = models.ForeignKey(
        Cadre, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("group leader")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["branch__order", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["branch", "name"], name="party_group_name_per_branch")]
        verbose_name = _("Party group")
        verbose_name_plural = _("Party groups")

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A cadre's membership of a branch: formal or probationary, the committee post held,
    and whether the member is counted among those due to attend (应到会)."""

    class Status(models.TextChoices):
        FORMAL = "formal", _("formal member")
        PROBATIONARY = "probationary", _("probationary member")

    class CommitteeRole(models.TextChoices):
        NONE = "", _("—")
        SECRETARY = "secretary", _("secretary")
        DEPUTY_SECRETARY = "deputy_secretary", _("deputy secretary")
        COMMISSIONER = "commissioner", _("organisation commissioner")
        PROPAGANDA = "propaganda", _("propaganda commissioner")
        DISCIPLINE = "discipline", _("discipline commissioner")
        MEMBER = "member", _("committee member")
        # The theory-study centre group.
        GROUP_LEADER = "group_leader", _("group leader")
        DEPUTY_GROUP_LEADER = "deputy_group_leader", _("deputy group leader")
        STUDY_SECRETARY = "study_secretary", _("study secretary")

    class NotCounted(models.TextChoices):
        """Why a member is not counted as due to attend (the 条例's usual cases)."""

        NONE = "", _("—")
        SICK = "sick", _("on sick leave")
        AWAY = "away", _("away studying or working for over six months")
        PROBATION = "probation", _("on Party probation (留党察看)")
        SUSPENDED = "suspended", _("Party membership suspended")
        OTHER = "other", _("other reason")

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("member"))
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("branch"))
    group = models.ForeignKey(
        PartyGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("Party group"),
    )
    status = models.CharField(_("membership"), max_length=12, choices=Status.choices, default=Status.FORMAL)
    joined_party_on = models.DateField(_("joined the Party on"), null=True, blank=True)
    full_member_on = models.DateField(_("full member since"), null=True, blank=True)
    committee_role = models.CharField(
        _("committee post"), max_length=20, choices=CommitteeRole.choices, blank=True, default=""
    )
    not_counted = models.CharField(
        _("not counted as due to attend"), max_length=12, choices=NotCounted.choices, blank=True, default=""
    )
    not_counted_note = models.CharField(_("note on the reason"), max_length=200, blank=True)
    not_counted_from = models.DateField(_("not counted from"), null=True, blank=True)
    not_counted_until = models.DateField(_("not counted until"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    ended_on = models.DateField(_("left the branch on"), null=True, blank=True)
    end_reason = models.CharField(_("why the membership ended"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = [
            "branch__order",
            "cadre__department__order",
            "cadre__post_level",
            Collate("cadre__name", STROKE_COLLATION),
            "id",
        ]
        constraints = [
            models.UniqueConstraint(fields=["cadre", "branch"], name="membership_once_per_branch"),
            models.CheckConstraint(
                condition=Q(not_counted="") | ~Q(not_counted_from=None), name="membership_not_counted_has_start"
            ),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.cadre} · {self.branch}"

    def clean(self):
        """The dates in order and in the past; a reason not to count the member has its start
        (and, for "other", a note); a probationary member has no full-membership date yet."""
        errors = {}
        today = dates.today()
        if self.joined_party_on and self.joined_party_on > today:
            errors["joined_party_on"] = _("This date is in the future.")
        if self.full_member_on:
            if self.status == self.Status.PROBATIONARY:
                errors["full_member_on"] = _("A probationary member has no full-membership date yet.")
            elif self.joined_party_on and self.full_member_on < self.joined_party_on:
                errors["full_member_on"] = _("Full membership comes after joining the Party.")
            elif self.full_member_on > today:
                errors["full_member_on"] = _("This date is in the future.")
        if self.not_counted:
            if self.not_counted_from is None:
                errors["not_counted_from"] = _("Say from when the member is not counted.")
            elif self.not_counted_until and self.not_counted_until < self.not_counted_from:
                errors["not_counted_until"] = _("The end comes after the start.")
            if self.not_counted == self.NotCounted.OTHER and not self.not_counted_note.strip():
                errors["not_counted_note"] = _("Describe the reason.")
        if errors:
            raise ValidationError(errors)

    @property
    def not_counted_now(self) -> bool:
        return self.active and not self.counted_on(dates.today())

    @property
    def on_committee(self) -> bool:
        return bool(self.committee_role)

    def counted_on(self, day) -> bool:
        """Due to attend on `day` (应到会): active and not excused for a period covering `day`."""
        if not self.active:
            return False
        if not self.not_counted:
            return True
        started = self.not_counted_from is None or self.not_counted_from <= day
        ended = self.not_counted_until is not None and self.not_counted_until < day
        return not started or ended

    def has_vote(self, day) -> bool:
        """Voting rights (表决权): formal members, unless on probation or suspended."""
        lost = self.not_counted in (self.NotCounted.PROBATION, self.NotCounted.SUSPENDED) and not (
            self.not_counted_until and self.not_counted_until < day
        )
        return self.status == self.Status.FORMAL and not lost


class Meeting(models.Model):
    """One meeting: planned (planned_at, place, topic, who should attend), then recorded
    (held_on, minutes, the vote, attendance). held_on empty means still planned."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("branch general meeting")  # 支部党员大会
        COMMITTEE = "committee", _("branch committee meeting")  # 支部委员会会议
        GROUP = "group", _("Party group meeting")  # 党小组会
        LESSON = "lesson", _("Party lesson")  # 党课
        ACTIVITY_DAY = "activity_day", _("Party member activity day")  # 主题党日
        CENTRE_STUDY = "centre_study", _("centre group theory study")  # 中心组学习
        LIFE_MEETING = "life_meeting", _("organisational life meeting")  # 组织生活会
        APPRAISAL = "appraisal", _("democratic appraisal of members")  # 民主评议党员

    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("branch"))
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    group = models.ForeignKey(
        PartyGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("Party group"),
        help_text=_("For a Party group meeting: the group that meets."),
    )
    topic = models.CharField(_("topic"), max_length=200)
    planned_at = models.DateTimeField(_("planned for"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    host = models.ForeignKey(
        Cadre, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("host")
    )
    recorder = models.ForeignKey(
        Cadre, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("recorder")
    )
    lecturer = models.ForeignKey(
        Cadre, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("lecturer")
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    content = models.TextField(_("main content and remarks"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    observers = models.CharField(
        _("observers"), max_length=300, blank=True, help_text=_("People attending without being members (列席).")
    )
    vote_subject = models.CharField(_("matter voted on"), max_length=200, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    signin_code = models.CharField(_("sign-in code"), max_length=32, default=_signin_code, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "signin_code"])

    class Meta:
        ordering = ["-planned_at", "-id"]
        indexes = [models.Index(fields=["branch", "kind", "held_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind="group") | Q(group=None), name="meeting_group_only_for_group"),
        ]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.topic}"

    def get_absolute_url(self):
        return reverse("partybuilding:meeting_detail", args=[self.pk])

    @property
    def is_held(self) -> bool:
        return self.held_on is not None

    @property
    def has_vote(self) -> bool:
        return any(v is not None for v in (self.votes_for, self.votes_against, self.votes_abstain))


class Attendance(models.Model):
    """One person expected at a meeting: present, on leave or absent, how they signed in,
    and, when on leave or absent, the make-up study (补学) that closes the loop.

    `formal`, `counted` and `has_vote` are taken from the membership when the meeting is
    planned or recorded, so an old record keeps its own 应到/实到."""

    class Status(models.TextChoices):
        EXPECTED = "expected", _("expected")
        LEAVE_REQUESTED = "leave_requested", _("leave requested")
        LEAVE = "leave", _("on leave")
        PRESENT = "present", _("present")
        ABSENT = "absent", _("absent")

    class SignIn(models.TextChoices):
        NONE = "", _("—")
        QR = "qr", _("scanned the QR code")
        BY_RECORDER = "recorder", _("signed in by the recorder")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting"))
    cadre = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, related_name="party_attendance", verbose_name=_("member")
    )
    status = models.CharField(_("attendance"), max_length=16, choices=Status.choices, default=Status.EXPECTED)
    formal = models.BooleanField(_("formal member"), default=True)
    counted = models.BooleanField(_("due to attend"), default=True)
    has_vote = models.BooleanField(_("voting rights"), default=True)
    committee = models.BooleanField(_("committee member"), default=False)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    leave_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    signed_in_how = models.CharField(_("signed in"), max_length=8, choices=SignIn.choices, blank=True, default="")
    makeup_on = models.DateField(_("make-up study on"), null=True, blank=True)
    makeup_note = models.TextField(_("what I learned"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = [
            "meeting",
            "-committee",
            "cadre__department__order",
            "cadre__post_level",
            Collate("cadre__name", STROKE_COLLATION),
            "id",
        ]
        constraints = [models.UniqueConstraint(fields=["meeting", "cadre"], name="attendance_once_per_meeting")]
        indexes = [models.Index(fields=["cadre", "status"])]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self):
        return f"{self.cadre} · {self.get_status_display()}"

    @property
    def needs_makeup(self) -> bool:
        return self.status in (self.Status.LEAVE, self.Status.ABSENT)

    @property
    def makeup_open(self) -> bool:
        return self.needs_makeup and self.makeup_on is None and self.meeting.is_held


class Attachment(models.Model):
    """An optional file of a meeting (the sign-in sheet, a photo): checked from its content,
    stored under MEDIA_ROOT, served only by views.attachment_download."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("meeting")
    )
    file = models.FileField(_("file"), upload_to="partybuilding/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class Obligation(models.TextChoices):
    """What a branch must hold (中国共产党支部工作条例（试行） and local rules); how often is
    a setting (obligations.py)."""

    GENERAL = "general", _("branch general meeting")
    COMMITTEE = "committee", _("branch committee meeting")
    GROUP = "group", _("Party group meeting, each group")
    LESSON = "lesson", _("Party lesson")
    SECRETARY_LESSON = "secretary_lesson", _("Party lesson by the secretary")
    ACTIVITY_DAY = "activity_day", _("Party member activity day")
    CENTRE_STUDY = "centre_study", _("centre group theory study")
    LIFE_MEETING = "life_meeting", _("organisational life meeting")
    APPRAISAL = "appraisal", _("democratic appraisal of members")


class Exemption(models.Model):
    """A branch excused from one obligation for a span of months, with the reason (a branch
    founded mid-year, a group merged into another)."""

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="exemptions", verbose_name=_("branch"))
    obligation = models.CharField(_("obligation"), max_length=20, choices=Obligation.choices)
    first_month = models.DateField(_("from month"), help_text=_("The first day of the first month excused."))
    last_month = models.DateField(_("to month"), help_text=_("The first day of the last month excused."))
    reason = models.CharField(_("reason"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["branch", "first_month"]
        constraints = [
            models.CheckConstraint(condition=Q(last_month__gte=models.F("first_month")), name="exemption_months_order")
        ]
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")

    def __str__(self):
        return f"{self.branch} · {self.obligation}"

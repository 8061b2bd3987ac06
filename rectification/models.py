"""The ledger's data and its invariants: inspection rounds, problems, measures (statuses and
terms), progress entries, evidence files, sign-off steps (the workflow is workflow.py) and
deadline extensions (延期申请; the workflow is extensions.py)."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cadres.models import Cadre, Department


class InspectionRound(models.Model):
    """A batch of feedback: one inspection, audit or self-inspection (反馈来源/批次)."""

    class Source(models.TextChoices):
        CENTRAL = "central", _("central inspection")  # 中央巡视
        PROVINCIAL = "provincial", _("provincial inspection")  # 省委巡视
        MUNICIPAL = "municipal", _("municipal inspection")  # 市委巡察
        SUPERVISION = "supervision", _("superior supervision")  # 上级督查
        AUDIT = "audit", _("audit")  # 审计
        SELF = "self", _("self-inspection")  # 自查自纠

    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    title = models.CharField(_("title"), max_length=200)
    feedback_date = models.DateField(_("feedback date"))
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    report_due = models.DateField(_("rectification report due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-feedback_date", "-id"]
        # The ledger's default order starts here: read in order, rounds → problems → measures,
        # page 1 needs a few hundred rows instead of sorting all of them.
        indexes = [models.Index(fields=["-feedback_date", "-id"], name="round_ledger_order")]
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("rectification:round_detail", args=[self.pk])


class Problem(models.Model):
    round = models.ForeignKey(
        InspectionRound, on_delete=models.PROTECT, related_name="problems", verbose_name=_("inspection round")
    )
    number = models.PositiveIntegerField(_("number"))
    category = models.CharField(_("category"), max_length=100, blank=True)
    description = models.TextField(_("description"))
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "number"]
        unique_together = [("round", "number")]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")

    def __str__(self):
        return f"{self.number}. {self.description[:30]}"


class Measure(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("not started")  # 未启动
        IN_PROGRESS = "in_progress", _("in progress")  # 整改中
        SUBMITTED = "submitted", _("sign-off requested")  # 申请销号
        LEADER_APPROVED = "leader_approved", _("approved by leader")  # 责任领导已审核
        CLOSED = "closed", _("signed off")  # 已销号
        STAGE_COMPLETE = "stage_complete", _("stage complete (ongoing)")  # 阶段性完成（持续整改）

    class Term(models.TextChoices):
        IMMEDIATE = "immediate", _("immediate")  # 立行立改
        DEADLINE = "deadline", _("by deadline")  # 限期整改
        LONG_TERM = "long_term", _("long-term")  # 长期坚持

    # Statuses in which a measure is finished for the purpose of deadlines.
    DONE_STATUSES = (Status.CLOSED, Status.STAGE_COMPLETE)

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="measures", verbose_name=_("problem"))
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    goal = models.TextField(_("rectification goal"), blank=True)
    description = models.TextField(_("measure"))
    responsible_leader = models.ForeignKey(
        Cadre, on_delete=models.PROTECT, related_name="led_measures", verbose_name=_("responsible leader")
    )
    lead_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="lead_measures", verbose_name=_("lead department")
    )
    partner_departments = models.ManyToManyField(
        Department, blank=True, related_name="partner_measures", verbose_name=_("partner departments")
    )
    responsible_person = models.ForeignKey(
        Cadre,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_measures",
        verbose_name=_("responsible person"),
    )
    term = models.CharField(_("term"), max_length=10, choices=Term.choices, default=Term.DEADLINE)
    deadline = models.DateField(_("rectification deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Optimistic locking: every save through services bumps it; an edit form carries the
    # version it was opened with.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[partner_departments], excluded_fields=["version", "updated_at"])

    class Meta:
        ordering = ["problem__round", "problem__number", "number", "id"]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["lead_department", "status"]),
            # One for each order of the ledger (filters.SORTS; descending reads them backwards).
            models.Index(fields=["problem", "number", "id"], name="measure_ledger_number"),
            models.Index(fields=["deadline", "id"], name="measure_ledger_deadline"),
            models.Index(fields=["status", "id"], name="measure_ledger_status"),
            models.Index(fields=["lead_department", "id"], name="measure_ledger_department"),
            models.Index(fields=["updated_at", "id"], name="measure_ledger_updated"),
        ]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self):
        return f"{self.problem.number}.{self.number} {self.description[:30]}"

    def get_absolute_url(self):
        return reverse("rectification:measure_detail", args=[self.pk])

    @property
    def code(self) -> str:
        """序号 as the ledger shows it: problem number and measure number, e.g. 3.2."""
        return f"{self.problem.number}.{self.number}"

    @property
    def is_done(self) -> bool:
        return self.status in self.DONE_STATUSES


class Progress(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="progress", verbose_name=_("measure"))
    date = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    percent = models.PositiveSmallIntegerField(
        _("percent complete"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    # The form's one-time token: a double submit carries the same token and adds nothing.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["measure", "-date"])]
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")

    def __str__(self):
        return f"{self.date} {self.text[:30]}"


def evidence_path(instance, filename):
    # The stored name is not the user's (the original name is kept in a field): the
    # content hash and the checked extension, under MEDIA_ROOT, never under static.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{instance.measure_id}/{instance.sha256[:24]}.{extension[:5]}"


class Evidence(models.Model):
    """A supporting file (佐证材料), attached to a progress entry or a sign-off request."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("measure"))
    progress = models.ForeignKey(
        Progress, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence", verbose_name=_("progress")
    )
    extension = models.ForeignKey(
        "Extension",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("extension request"),
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.original_name


class SignoffStep(models.Model):
    """One step of the sign-off (销号) workflow: who did what, when, and why."""

    class Action(models.TextChoices):
        START = "start", _("started")
        SUBMIT = "submit", _("requested sign-off")
        LEADER_APPROVE = "leader_approve", _("approved by responsible leader")
        OFFICE_CONFIRM = "office_confirm", _("confirmed by campaign office")
        RETURN = "return", _("returned")
        STAGE_COMPLETE = "stage_complete", _("marked stage complete")

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="signoff_steps", verbose_name=_("measure")
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    from_status = models.CharField(_("from status"), max_length=16, choices=Measure.Status.choices)
    to_status = models.CharField(_("to status"), max_length=16, choices=Measure.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("sign-off step")
        verbose_name_plural = _("sign-off steps")

    def __str__(self):
        return f"{self.get_action_display()} {self.created_at:%Y-%m-%d}"


class Extension(models.Model):
    """A deadline extension (延期): requested by the lead department, approved or refused by
    the responsible leader, then confirmed by the campaign office; or made by the office
    directly, with a reason. The measure's deadline changes only when it is approved."""

    class Status(models.TextChoices):
        LEADER_REVIEW = "leader_review", _("waiting for the responsible leader")  # 待责任领导审批
        OFFICE_REVIEW = "office_review", _("waiting for the campaign office")  # 待领导小组办公室确认
        APPROVED = "approved", _("approved")  # 已批准
        REFUSED = "refused", _("refused")  # 未同意
        WITHDRAWN = "withdrawn", _("withdrawn")  # 已撤回

    PENDING_STATUSES = (Status.LEADER_REVIEW, Status.OFFICE_REVIEW)

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("measure"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.LEADER_REVIEW)
    direct = models.BooleanField(_("extended by the office directly"), default=False)
    old_deadline = models.DateField(_("deadline before"))
    new_deadline = models.DateField(_("requested deadline"))
    # How far the deadline moves (or moved), in calendar days: new - old, kept on save.
    days = models.PositiveIntegerField(_("days later"), default=0, editable=False)
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by the leader"),
    )
    leader_at = models.DateTimeField(_("leader's review at"), null=True, blank=True)
    leader_comment = models.TextField(_("leader's comment"), blank=True)
    office = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by the office"),
    )
    office_at = models.DateTimeField(_("office's decision at"), null=True, blank=True)
    office_comment = models.TextField(_("office's comment"), blank=True)
    # The day the new deadline took effect (approved) or the request ended (refused, withdrawn).
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure"],
                condition=models.Q(status__in=["leader_review", "office_review"]),
                name="one_pending_extension_per_measure",
            ),
            models.CheckConstraint(
                condition=models.Q(new_deadline__gt=models.F("old_deadline")), name="extension_moves_later"
            ),
        ]
        indexes = [models.Index(fields=["status", "decided_on"])]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")

    def __str__(self):
        return f"{self.measure_id}: {self.old_deadline} → {self.new_deadline}"

    def save(self, *args, **kwargs):
        self.days = (self.new_deadline - self.old_deadline).days
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "days"}
        super().save(*args, **kwargs)

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING_STATUSES

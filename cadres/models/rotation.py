"""Rotation (交流轮岗): deferrals (暂缓交流), plans with their items, and front-line
placements of young cadres (挂职锻炼, 下派基层一线). The rules that say who is due are
cadres/rotation.py."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .organisation import Cadre, Department, Post, PostHolding

Kind = PostHolding.How
# The kinds a plan item may have: a plan moves people, it does not appoint them.
MOVE_KINDS = [(k.value, k.label) for k in (Kind.ROTATION, Kind.EXCHANGE, Kind.SECONDMENT, Kind.FRONTLINE)]
FRONTLINE_KINDS = (Kind.SECONDMENT, Kind.FRONTLINE)


class Deferral(models.Model):
    """暂缓交流: a person due to rotate who stays, for a recorded reason, until a date."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="deferrals", verbose_name=_("cadre"))
    reason = models.CharField(_("reason"), max_length=200)
    until = models.DateField(_("deferred until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-until", "-id"]
        verbose_name = _("rotation deferral")
        verbose_name_plural = _("rotation deferrals")

    def __str__(self):
        return f"{self.cadre} · {self.until}"


class RotationPlan(models.Model):
    """A batch of moves: drafted by the personnel section, decided by the 党组, executed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")  # 草拟
        SUBMITTED = "submitted", _("submitted to the Party group")  # 提交党组
        APPROVED = "approved", _("approved by the Party group")  # 党组研究通过
        EXECUTED = "executed", _("executed")  # 执行

    title = models.CharField(_("batch"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    note = models.TextField(_("note"), blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decision_date = models.DateField(_("Party group decision date"), null=True, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("rotation plan")
        verbose_name_plural = _("rotation plans")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cadres:plan_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class RotationItem(models.Model):
    """One move in a plan: who, from which post to which, how, when, the handover."""

    plan = models.ForeignKey(RotationPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("plan"))
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="+", verbose_name=_("cadre"))
    from_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("from department")
    )
    from_post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("from post")
    )
    to_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("to department")
    )
    to_post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("to post")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=MOVE_KINDS, default=Kind.ROTATION)
    planned_date = models.DateField(_("planned date"))
    handover_note = models.TextField(_("handover"), blank=True)
    executed_on = models.DateField(_("executed on"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "id"]
        unique_together = [("plan", "cadre")]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")

    def __str__(self):
        return f"{self.cadre}: {self.from_department} → {self.to_department}"


class Placement(models.Model):
    """A young cadre's time at the front line: 挂职锻炼 or 下派基层一线."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="placements", verbose_name=_("cadre"))
    kind = models.CharField(_("kind"), max_length=12, choices=[(k.value, k.label) for k in FRONTLINE_KINDS])
    place = models.CharField(_("place"), max_length=200)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    mentor = models.CharField(_("mentor"), max_length=50, blank=True)
    appraisal = models.TextField(_("appraisal"), blank=True)
    item = models.OneToOneField(
        RotationItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="placement"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("front-line placement")
        verbose_name_plural = _("front-line placements")

    def __str__(self):
        return f"{self.cadre} · {self.place}"

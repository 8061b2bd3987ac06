"""Post integrity risks (岗位廉政风险点) and the annual review of them (年度岗位廉政风险排查)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .organisation import Post


class PostRisk(models.Model):
    """One line of a post's integrity-risk ledger (岗位廉政风险点)."""

    class Level(models.TextChoices):
        HIGH = "high", _("high")
        MEDIUM = "medium", _("medium")
        LOW = "low", _("low")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="risks", verbose_name=_("post"))
    category = models.CharField(_("risk category"), max_length=50)
    point = models.CharField(_("risk point"), max_length=200)
    manifestation = models.TextField(_("manifestation"), blank=True)
    level = models.CharField(_("risk level"), max_length=6, choices=Level.choices, default=Level.MEDIUM)
    controls = models.TextField(_("prevention and control measures"), blank=True)
    department_head = models.ForeignKey(
        "Cadre", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("department head")
    )
    responsible_leader = models.ForeignKey(
        "Cadre",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible leader"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["post__department__order", "post__order", "post_id", "id"]
        verbose_name = _("post integrity risk")
        verbose_name_plural = _("post integrity risks")

    def __str__(self):
        return self.point


class RiskReview(models.Model):
    """The annual review round: every post is looked at once (and again when it changes)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    start = models.DateField(_("start"))
    due = models.DateField(_("due"))
    closed = models.BooleanField(_("closed"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("annual risk review")
        verbose_name_plural = _("annual risk reviews")

    def __str__(self):
        return self.title


class PostReview(models.Model):
    """One post looked at in a review round: by whom, when, with what result."""

    class Result(models.TextChoices):
        UNCHANGED = "unchanged", _("risks still accurate")  # 无变化
        UPDATED = "updated", _("risks updated")  # 已调整
        ADDED = "added", _("new risks found")  # 新增风险点

    review = models.ForeignKey(RiskReview, on_delete=models.CASCADE, related_name="posts", verbose_name=_("review"))
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("post"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewed by")
    )
    reviewed_on = models.DateField(_("reviewed on"))
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        unique_together = [("review", "post")]
        verbose_name = _("post review")
        verbose_name_plural = _("post reviews")

    def __str__(self):
        return f"{self.review} · {self.post}"

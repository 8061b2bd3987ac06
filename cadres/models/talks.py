"""Talks (谈心谈话, 提醒谈话): who talked with whom, when, why and with what effect.
Seen only by the two people, the personnel section and the main leader (cadres.permissions)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .organisation import Cadre


class Talk(models.Model):
    class Kind(models.TextChoices):
        HEART = "heart", _("heart-to-heart talk")  # 谈心谈话
        REMINDER = "reminder", _("reminder talk")  # 提醒谈话

    class Trigger(models.TextChoices):
        POST_CHANGE = "post_change", _("change of post")  # 岗位变动
        APPRAISAL = "appraisal", _("after appraisal")  # 考核后
        REPORTED = "reported", _("problem reported")  # 被反映问题
        OWN_REQUEST = "own_request", _("own request")  # 本人要求
        HOLIDAY = "holiday", _("reminder before holidays")  # 节假日前提醒
        ROUTINE = "routine", _("routine")  # 日常谈心
        OTHER = "other", _("other")

    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    talker = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="talks_held", verbose_name=_("talker"))
    talkee = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="talks_had", verbose_name=_("with"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.HEART)
    trigger = models.CharField(_("trigger"), max_length=12, choices=Trigger.choices, default=Trigger.ROUTINE)
    content = models.TextField(_("content"))
    effect = models.TextField(_("effect"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["date"]), models.Index(fields=["talker", "talkee", "date"])]
        verbose_name = _("talk")
        verbose_name_plural = _("talks")

    def __str__(self):
        return f"{self.date} {self.talker} — {self.talkee}"

    def get_absolute_url(self):
        return reverse("cadres:talk_detail", args=[self.pk])

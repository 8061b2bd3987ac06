from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre, Department


class Campaign(models.Model):
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    office_department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("office of the leadership group"),
        help_text=_("The department that hosts the leadership group's office."),
    )
    office_duties = models.TextField(
        _("duties of the office"),
        blank=True,
        help_text=_("What the leadership group's office does: the day-to-day work of the campaign."),
    )
    office_contact = models.CharField(
        _("office contact"), max_length=100, blank=True, help_text=_("Telephone or room of the office.")
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self):
        return self.name

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end must not be before the start.")})

    def phase_on(self, day):
        """The phase running on `day`, or None (before the start, after the end, between phases)."""
        for phase in self.phases.all():
            if phase.start <= day <= phase.end:
                return phase
        return None


class Phase(models.Model):
    class Kind(models.TextChoices):
        MOBILISE = "mobilise", _("mobilisation")  # 动员部署
        RECTIFY = "rectify", _("concentrated rectification")  # 集中整治
        SUMMARISE = "summarise", _("summary and improvement")  # 总结提升

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases", verbose_name=_("campaign"))
    kind = models.CharField(_("phase"), max_length=10, choices=Kind.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    tasks = models.TextField(_("main tasks"), blank=True)

    class Meta:
        ordering = ["start"]
        unique_together = [("campaign", "kind")]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")

    def __str__(self):
        return self.get_kind_display()

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end must not be before the start.")})


class GroupMember(models.Model):
    """A member of the campaign's leadership group (领导小组)."""

    class Role(models.IntegerChoices):
        # The numbers give the official order: 组长, 副组长, 成员, 办公室主任, 联络员.
        LEADER = 1, _("group leader")  # 组长
        DEPUTY = 2, _("deputy group leader")  # 副组长
        MEMBER = 3, _("member")  # 成员
        OFFICE_DIRECTOR = 4, _("office director")  # 办公室主任
        LIAISON = 5, _("liaison")  # 联络员

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="members", verbose_name=_("campaign"))
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="+", verbose_name=_("cadre"))
    role = models.PositiveSmallIntegerField(_("role"), choices=Role.choices)
    duty = models.CharField(
        _("duty"), max_length=300, blank=True, help_text=_("What this member leads or answers for in the campaign.")
    )

    class Meta:
        ordering = ["role", "id"]
        unique_together = [("campaign", "cadre")]
        verbose_name = _("group member")
        verbose_name_plural = _("group members")

    def __str__(self):
        return f"{self.get_role_display()} {self.cadre}"

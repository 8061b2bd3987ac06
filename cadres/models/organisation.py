"""The organisation: departments, posts, people (干部职工), their work history (PostHolding)
and the relations between relatives that the 任职回避 check reads.

Cadre.department, post and in_post_since are kept in step with the open PostHolding by
cadres.services (record_move, sync_current_post): the work history is the source, the
fields on Cadre make the lists and the rotation planner one flat query.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models.functions import Collate
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# People of equal standing are listed by the stroke count of the surname (姓氏笔画).
# The collation exists in PostgreSQL (migration 0002) and in SQLite (core.db).
STROKE_COLLATION = "zh_stroke"


class Department(models.Model):
    class Kind(models.TextChoices):
        LEADERSHIP = "leadership", _("bureau leadership")
        SECTION = "section", _("internal department")
        UNIT = "unit", _("affiliated unit")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SECTION)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    overseen_by = models.ForeignKey(
        "Cadre",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="overseen_departments",
        limit_choices_to={"is_leader": True},
        verbose_name=_("overseeing leader"),
        help_text=_("The bureau leader who oversees this department (分管领导)."),
    )
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name


class Post(models.Model):
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="posts", verbose_name=_("department")
    )
    title = models.CharField(_("title"), max_length=100)
    is_key = models.BooleanField(
        _("key post"), default=False, help_text=_("Law enforcement, personnel, audit, approval, funds and the like.")
    )
    duties = models.TextField(_("duties"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    # Set when the duties or the risk points change: the annual review looks at the post again.
    duties_changed_on = models.DateField(_("duties changed on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["department__order", "order", "id"]
        unique_together = [("department", "title")]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self):
        return f"{self.department} · {self.title}"


class Cadre(models.Model):
    class Gender(models.TextChoices):
        MALE = "M", _("male")
        FEMALE = "F", _("female")

    class Political(models.TextChoices):
        MEMBER = "member", _("CPC member")
        PROBATIONARY = "probationary", _("CPC probationary member")
        LEAGUE = "league", _("CYL member")
        OTHER_PARTY = "other_party", _("member of another party")
        MASSES = "masses", _("the masses")

    class PostLevel(models.IntegerChoices):
        # Official lists put principals before deputies before the rest.
        PRINCIPAL = 1, _("principal")
        DEPUTY = 2, _("deputy")
        MEMBER = 3, _("member")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cadre",
        verbose_name=_("login account"),
    )
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    political_status = models.CharField(
        _("political status"), max_length=12, choices=Political.choices, default=Political.MASSES
    )
    education = models.CharField(_("education"), max_length=30, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="cadres", verbose_name=_("department")
    )
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="holders", verbose_name=_("post")
    )
    rank = models.CharField(_("position and rank"), max_length=50, blank=True)
    post_level = models.PositiveSmallIntegerField(_("post level"), choices=PostLevel.choices, default=PostLevel.MEMBER)
    is_leader = models.BooleanField(_("bureau leader"), default=False)
    is_middle_level = models.BooleanField(_("middle-level cadre"), default=False)
    in_post_since = models.DateField(_("in current post since"), null=True, blank=True)
    joined_bureau_on = models.DateField(_("joined the bureau on"), null=True, blank=True)
    joined_party_on = models.DateField(_("joined the Party on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(excluded_fields=["in_post_since"])

    class Meta:
        # Admin lists and every unordered query follow the official order too.
        ordering = ["department__order", "post_level", Collate("name", STROKE_COLLATION), "id"]
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")

    def __str__(self):
        return self.name

    def age_on(self, day: dt.date) -> int | None:
        return full_years(self.birth_date, day)

    def years_in_post_on(self, day: dt.date) -> float | None:
        if self.in_post_since is None:
            return None
        return round((day - self.in_post_since).days / 365.25, 1)


def full_years(start: dt.date | None, day: dt.date) -> int | None:
    """Completed years from `start` to `day` (an age, a length of service)."""
    if start is None:
        return None
    return day.year - start.year - ((day.month, day.day) < (start.month, start.day))


class PostHolding(models.Model):
    """One row of a person's work history: where, which post, from when to when, and how
    the person came to it. The open row (no end date) is the current post."""

    class How(models.TextChoices):
        APPOINTED = "appointed", _("appointment")  # 任命
        ROTATION = "rotation", _("rotation")  # 轮岗
        EXCHANGE = "exchange", _("exchange")  # 交流
        SECONDMENT = "secondment", _("temporary training post")  # 挂职锻炼
        FRONTLINE = "frontline", _("front-line posting")  # 下派基层一线

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="holdings", verbose_name=_("cadre"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department"))
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="holdings", verbose_name=_("post")
    )
    rank = models.CharField(_("position and rank"), max_length=50, blank=True)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)
    how = models.CharField(_("how"), max_length=12, choices=How.choices, default=How.APPOINTED)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cadre", "start", "id"]
        indexes = [models.Index(fields=["cadre", "start"]), models.Index(fields=["start"])]
        verbose_name = _("post holding")
        verbose_name_plural = _("work history")

    def __str__(self):
        return f"{self.cadre} · {self.department} {self.post.title if self.post else ''} {self.start}"


class Relation(models.Model):
    """Two cadres who are relatives in the sense of the 公务员回避规定 (recorded once, read
    both ways)."""

    class Kind(models.TextChoices):
        SPOUSE = "spouse", _("spouse")  # 夫妻
        LINEAL = "lineal", _("lineal relative by blood")  # 直系血亲
        COLLATERAL = "collateral", _("collateral relative within three generations")  # 三代以内旁系血亲
        IN_LAW = "in_law", _("close relative by marriage")  # 近姻亲

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="+", verbose_name=_("cadre"))
    relative = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="+", verbose_name=_("relative"))
    kind = models.CharField(_("relation"), max_length=12, choices=Kind.choices)
    history = HistoricalRecords()

    class Meta:
        unique_together = [("cadre", "relative")]
        verbose_name = _("relation")
        verbose_name_plural = _("relations")

    def __str__(self):
        return f"{self.cadre} — {self.relative} ({self.get_kind_display()})"

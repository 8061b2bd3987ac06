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
    # Who oversees a department decides who sees and approves its measures: every change is logged.
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
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["department__order", "order", "id"]
        unique_together = [("department", "title")]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self):
        return f"{self.department} · {self.title}"


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

    class Meta:
        verbose_name = _("post integrity risk")
        verbose_name_plural = _("post integrity risks")

    def __str__(self):
        return self.point


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
    active = models.BooleanField(_("active"), default=True)
    # A cadre's department decides what their account sees: every change is logged.
    history = HistoricalRecords(excluded_fields=["birth_date", "ethnicity", "education"])

    class Meta:
        # Admin lists and every unordered query follow the official order too.
        ordering = ["department__order", "post_level", Collate("name", STROKE_COLLATION), "id"]
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")

    def __str__(self):
        return self.name

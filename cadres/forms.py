"""Forms of the cadres area: records (people, their moves and history rows, relatives,
deferrals, placements, departments, posts, risks), imports, the risk review, rotation
plans and their items, talks, and the roster's filters."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.forms.utils import flatatt
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core import dates

from .models import (
    MOVE_KINDS,
    Cadre,
    Deferral,
    Department,
    Placement,
    Post,
    PostHolding,
    PostReview,
    PostRisk,
    Relation,
    RotationPlan,
    Talk,
)
from .selectors import in_official_order


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class QuickSelect(forms.Select):
    """A <select> written out in one pass. Django renders each <option> through a template
    include: the 200 posts of a move were half the plan page's time that way."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, mark_safe(" selected") if str(key) in chosen else "", label) for key, label in self.choices),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options
        )


class CadreChoiceField(forms.ModelChoiceField):
    widget = QuickSelect

    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.department.name}）"


def people(**filters):
    return in_official_order(Cadre.objects.filter(active=True, **filters).select_related("department"))


def post_label(department: str, title: str, is_key: bool) -> str:
    return f"{department} · {title}{'（重点岗位）' if is_key else ''}"


class PostChoiceField(forms.ModelChoiceField):
    widget = QuickSelect

    def label_from_instance(self, obj):
        return post_label(obj.department.name, obj.title, obj.is_key)


def posts():
    return Post.objects.filter(active=True, department__active=True).select_related("department")


DATE_FIELDS = ["birth_date", "joined_party_on", "in_post_since", "joined_bureau_on"]
PERSONAL_FIELDS = [
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "political_status",
    "joined_party_on",
    "education",
    "rank",
    "post_level",
    "is_middle_level",
    "joined_bureau_on",
    "active",
]


class CadreForm(forms.ModelForm):
    """A new person: with the department and post they hold since `in_post_since`."""

    class Meta:
        model = Cadre
        fields = [*PERSONAL_FIELDS[:7], "department", "post", "in_post_since", *PERSONAL_FIELDS[7:-1]]
        widgets = {f: DateInput() for f in DATE_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(active=True)
        self.fields["post"] = PostChoiceField(posts(), required=False, label=_("Post"))
        self.fields["in_post_since"].required = True

    def clean(self):
        data = super().clean()
        post, department = data.get("post"), data.get("department")
        if post and department and post.department_id != department.pk:
            self.add_error("post", _("The post belongs to another department."))
        return data


class CadreEditForm(forms.ModelForm):
    """Personal data and rank; a new department or post is recorded as a move."""

    class Meta:
        model = Cadre
        fields = PERSONAL_FIELDS
        widgets = {f: DateInput() for f in DATE_FIELDS}


class MoveForm(forms.Form):
    department = forms.ModelChoiceField(Department.objects.filter(active=True), label=_("Department"))
    post = PostChoiceField(posts(), required=False, label=_("Post"))
    start = forms.DateField(label=_("From"), widget=DateInput())
    how = forms.ChoiceField(choices=PostHolding.How.choices, label=_("How"))
    rank = forms.CharField(label=_("Position and rank"), required=False, max_length=50)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def clean(self):
        data = super().clean()
        post, department = data.get("post"), data.get("department")
        if post and department and post.department_id != department.pk:
            self.add_error("post", _("The post belongs to another department."))
        return data


class HoldingForm(forms.ModelForm):
    """A row of the work history entered by hand (an earlier post, a correction)."""

    class Meta:
        model = PostHolding
        fields = ["department", "post", "rank", "start", "end", "how", "note"]
        widgets = {"start": DateInput(), "end": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"] = PostChoiceField(
            Post.objects.select_related("department"), required=False, label=_("Post")
        )


class RelationForm(forms.Form):
    relative = CadreChoiceField(people(), label=_("Relative"))
    kind = forms.ChoiceField(choices=Relation.Kind.choices, label=_("Relation"))


class DeferralForm(forms.ModelForm):
    class Meta:
        model = Deferral
        fields = ["reason", "until"]
        widgets = {"until": DateInput()}


class PlacementForm(forms.ModelForm):
    class Meta:
        model = Placement
        fields = ["cadre", "kind", "place", "start", "end", "mentor", "appraisal"]
        widgets = {"start": DateInput(), "end": DateInput(), "appraisal": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"] = CadreChoiceField(people(is_leader=False), label=_("Cadre"))


class DepartmentForm(forms.ModelForm):
    """Oversight (分管, overseen_by) is not here: the campaign office sets it."""

    class Meta:
        model = Department
        fields = ["name", "kind", "order", "active"]


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["department", "title", "is_key", "duties", "order", "active"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 3})}


class RiskForm(forms.ModelForm):
    class Meta:
        model = PostRisk
        fields = [
            "post",
            "category",
            "point",
            "manifestation",
            "level",
            "controls",
            "department_head",
            "responsible_leader",
        ]
        widgets = {f: forms.Textarea(attrs={"rows": 2}) for f in ("manifestation", "controls")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"] = PostChoiceField(posts(), label=_("Post"))
        self.fields["department_head"] = CadreChoiceField(
            people(is_leader=False), required=False, label=_("Department head")
        )
        self.fields["responsible_leader"] = CadreChoiceField(
            people(is_leader=True), required=False, label=_("Responsible leader")
        )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (limit %(limit)s).") % {"limit": filesizeformat(settings.IMPORT_MAX_BYTES)}
            )
        return upload


class ReviewStartForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200)
    start = forms.DateField(label=_("Start"), widget=DateInput())
    due = forms.DateField(label=_("Due date"), widget=DateInput())


class PostReviewForm(forms.ModelForm):
    class Meta:
        model = PostReview
        fields = ["result", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class PlanForm(forms.ModelForm):
    class Meta:
        model = RotationPlan
        fields = ["title", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class ItemForm(forms.Form):
    """A move to add to a plan. The person picker offers only `offered` (the match of a search,
    or the person the planner's link named) instead of all 2,000 people as <option>s; anyone
    active who is not a bureau leader still validates."""

    cadre = CadreChoiceField(people(is_leader=False), label=_("Cadre"))
    to_post = PostChoiceField(posts(), label=_("To post"))
    kind = forms.ChoiceField(choices=MOVE_KINDS, label=_("Kind"))
    planned_date = forms.DateField(label=_("Planned date"), widget=DateInput())
    handover_note = forms.CharField(label=_("Handover"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, offered=None, **kwargs):
        super().__init__(*args, **kwargs)
        if offered is not None and "cadre" in self.fields:
            field = self.fields["cadre"]
            field.widget.choices = [("", field.empty_label), *((c.pk, field.label_from_instance(c)) for c in offered)]
        # The posts' labels from rows: 200 Post instances with their departments cost more.
        field = self.fields["to_post"]
        rows = field.queryset.values_list("pk", "department__name", "title", "is_key")
        field.widget.choices = [("", field.empty_label), *((pk, post_label(*label)) for pk, *label in rows)]


class ItemEditForm(ItemForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["cadre"]


class DecisionForm(forms.Form):
    decision_date = forms.DateField(label=_("Party group decision date"), widget=DateInput())
    document_number = forms.CharField(label=_("Document number"), max_length=100)


class TalkForm(forms.ModelForm):
    class Meta:
        model = Talk
        fields = ["date", "place", "talker", "talkee", "kind", "trigger", "content", "effect", "follow_up"]
        widgets = {
            "date": DateInput(),
            **{f: forms.Textarea(attrs={"rows": 3}) for f in ("content", "effect", "follow_up")},
        }

    def __init__(self, *args, talker_fixed: Cadre | None = None, talkees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["talker"] = CadreChoiceField(people(), label=_("Talker"))
        self.fields["talkee"] = CadreChoiceField(talkees if talkees is not None else people(), label=_("With"))
        if talker_fixed is not None:
            # Only the personnel section records talks others held.
            self.fields["talker"].queryset = Cadre.objects.filter(pk=talker_fixed.pk).select_related("department")
            self.fields["talker"].initial = talker_fixed.pk
        if not self.instance.pk:
            self.fields["date"].initial = dates.today()


AGE_BANDS = [
    ("", _("All ages")),
    ("-35", "35岁及以下"),
    ("36-45", "36–45岁"),
    ("46-55", "46–55岁"),
    ("56-", "56岁及以上"),
]
YEAR_BANDS = [
    ("", _("Any time in post")),
    ("-2", "不满2年"),
    ("2-5", "2–5年"),
    ("5-10", "5–10年"),
    ("10-", "10年及以上"),
]


class RosterFilterForm(forms.Form):
    q = forms.CharField(required=False, label=_("Search"))
    department = forms.ModelChoiceField(Department.objects.none(), required=False, label=_("Department"))
    rank = forms.CharField(required=False, label=_("Position and rank"))
    middle = forms.ChoiceField(
        required=False, choices=[("", _("Everyone")), ("1", _("Middle-level cadres"))], label=_("Middle-level cadre")
    )
    key = forms.ChoiceField(required=False, choices=[("", _("Any post")), ("1", _("Key posts"))], label=_("Key post"))
    age = forms.ChoiceField(required=False, choices=AGE_BANDS, label=_("Age"))
    years = forms.ChoiceField(required=False, choices=YEAR_BANDS, label=_("Years in post"))

    def __init__(self, *args, departments=None, personal=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments if departments is not None else Department.objects.none()
        if not personal:
            # Ages and years in post are personal data.
            del self.fields["age"]
            del self.fields["years"]
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField):
                field.widget.attrs.update({"class": "form-select form-select-sm", "aria-label": field.label})

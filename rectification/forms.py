"""The ledger's forms: progress, the sign-off steps (step_form), measures, rounds and
problems, and the feedback-list import (upload, confirm)."""

import datetime as dt
import uuid

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre, Department
from cadres.selectors import in_official_order, leaders
from core import dates
from core.forms import TextLimitsMixin

from . import evidence, wording, workflow
from .importing import ImportRefused, check_upload
from .models import InspectionRound, Measure, Problem


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); checked in evidence.py."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(d, initial) for d in data if d]
        else:
            files = [single(data, initial)] if data else []
        return [f for f in files if f]


def _accept_attr() -> str:
    extensions = {t.lower() for t in settings.EVIDENCE_ALLOWED_TYPES}
    if "jpg" in extensions:
        extensions.add("jpeg")
    return ",".join(f".{e}" for e in sorted(extensions))


class EvidenceFilesMixin:
    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        # Raises ValidationError listing every bad file; the checked files go on to the
        # service, which then does not check them again.
        return evidence.check_all(files)


def _plain_helper():
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class ProgressForm(EvidenceFilesMixin, forms.Form):
    """The daily action: what was done, when, how far, with evidence files."""

    text = forms.CharField(
        label=_("Progress"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("What was done, and what comes next."),
    )
    date = forms.DateField(label=_("Date"), widget=DateInput())
    percent = forms.IntegerField(
        label=_("Percent complete"),
        required=False,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "0–100"}),
    )
    files = MultipleFileField(label=_("Evidence files"))
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("date", dates.today())
            self.initial.setdefault("submission_token", uuid.uuid4())
        self.fields["files"].widget.attrs["accept"] = _accept_attr()
        self.fields["files"].help_text = evidence_help()
        self.helper = _plain_helper()

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > dates.today():
            raise ValidationError(_("The date of a progress entry cannot be in the future."))
        return value


def evidence_help() -> str:
    types = wording.join(dict.fromkeys(t.upper() for t in settings.EVIDENCE_ALLOWED_TYPES))
    return _("Several files at once: %(types)s, each at most %(size)s.") % {
        "types": types,
        "size": filesizeformat(settings.EVIDENCE_MAX_BYTES),
    }


class SubmitForm(EvidenceFilesMixin, forms.Form):
    """申请销号: the completion summary, with evidence."""

    summary = forms.CharField(
        label=_("Completion summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": _("Write a completion summary.")},
    )
    files = MultipleFileField(label=_("Evidence files"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs["accept"] = _accept_attr()
        self.fields["files"].help_text = _(
            "At least one evidence file is needed: attach it here unless the measure already has one."
        )
        self.helper = _plain_helper()

    def step_args(self):
        """(text, files) for workflow.run."""
        return self.cleaned_data["summary"], self.cleaned_data["files"]


class ReviewForm(forms.Form):
    """Approve, confirm or return; a return needs a reason."""

    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, action="", **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        transition = workflow.TRANSITIONS.get(action)
        if transition is not None and transition.form == "reason":
            self.fields["comment"].label = _("Reason for returning")
            self.fields["comment"].required = True
            self.fields["comment"].error_messages["required"] = _("Say why the measure is returned.")
        self.helper = _plain_helper()

    def step_args(self):
        """(text, files) for workflow.run."""
        return self.cleaned_data["comment"], ()


def step_form(action: str, data=None, files=None):
    """The form of a sign-off step: the summary and evidence of a request, else a comment
    (a reason, for a return) under the action's prefix."""
    if workflow.TRANSITIONS[action].form == "summary":
        return SubmitForm(data, files)
    return ReviewForm(data, action=action, prefix=action)


class MeasureForm(TextLimitsMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    deadline_reason = forms.CharField(
        label=_("Reason for changing the deadline"),
        required=False,
        max_length=90,
        help_text=_(
            "Required when the deadline changes; it is kept in the history, and a later date counts as an extension."
        ),
    )

    class Meta:
        model = Measure
        fields = [
            "problem",
            "number",
            "goal",
            "description",
            "responsible_leader",
            "lead_department",
            "partner_departments",
            "responsible_person",
            "term",
            "deadline",
            "note",
        ]
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "note": forms.Textarea(attrs={"rows": 2}),
            "deadline": DateInput(),
            "partner_departments": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, office: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office
        self.fields["problem"].queryset = Problem.objects.select_related("round").order_by("round", "number")
        self.fields["problem"].label_from_instance = lambda p: f"{p.round.title} · {p.number}. {p.description[:40]}"
        self.fields["responsible_leader"].queryset = leaders()
        departments = Department.objects.filter(active=True).exclude(kind=Department.Kind.LEADERSHIP)
        self.fields["lead_department"].queryset = departments
        self.fields["partner_departments"].queryset = departments
        people = in_official_order(Cadre.objects.filter(active=True, is_leader=False).select_related("department"))
        self.fields["responsible_person"].queryset = people
        self.fields["responsible_person"].label_from_instance = (
            lambda c: f"{c.name}{wording.parenthesised(c.department.name)}"
        )
        self.fields["number"].required = False
        self.fields["number"].help_text = _("Left empty: the next number under the problem.")
        self.fields["deadline"].help_text = _("Not needed for long-term measures.")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["deadline_reason"]
        if not office:
            # A department keeps the measure: the office moves it between departments and
            # leaders, sets its term and partners, and its deadline moves by an extension.
            for name in ("problem", "responsible_leader", "lead_department", "term", "deadline", "partner_departments"):
                self.fields[name].disabled = True
            self.fields["deadline"].help_text = _("To move the deadline, request an extension on the measure's page.")
            self.fields.pop("deadline_reason", None)
            dept_ids = [self.instance.lead_department_id] if self.instance.pk else []
            self.fields["responsible_person"].queryset = people.filter(
                Q(department_id__in=dept_ids) | Q(pk=self.instance.responsible_person_id or 0)
            )
        self.helper = _plain_helper()

    def clean_number(self):
        number = self.cleaned_data.get("number")
        if number:
            return number
        if self.instance.pk:
            return self.instance.number
        problem = self.cleaned_data.get("problem")
        if problem is None:
            return 1
        last = Measure.objects.filter(problem=problem).order_by("-number").values_list("number", flat=True).first()
        return (last or 0) + 1

    def clean(self):
        data = super().clean()
        term = data.get("term")
        if term and term != Measure.Term.LONG_TERM and not data.get("deadline") and "deadline" not in self.errors:
            self.add_error("deadline", _("A measure that is immediate or by deadline needs a deadline."))
        lead = data.get("lead_department")
        if lead and lead in (data.get("partner_departments") or []):
            self.add_error("partner_departments", _("The lead department cannot also be a partner department."))
        changed = self.instance.pk and "deadline" in self.changed_data and "deadline_reason" in self.fields
        if changed and not (data.get("deadline_reason") or "").strip():
            self.add_error("deadline_reason", _("Say why the deadline changes."))
        return data


class ExtensionRequestForm(EvidenceFilesMixin, forms.Form):
    """延期申请: the new deadline, why, and evidence if any. The office's direct extension
    uses the same form without files."""

    new_deadline = forms.DateField(label=_("New deadline"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason for the extension"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    files = MultipleFileField(label=_("Evidence files (optional)"))

    def __init__(self, *args, measure=None, direct=False, **kwargs):
        super().__init__(*args, prefix="direct" if direct else "extension", **kwargs)
        self.measure = measure
        if direct:
            del self.fields["files"]
            self.fields["reason"].help_text = _("The office extends directly: the reason is kept with the measure.")
        else:
            self.fields["files"].widget.attrs["accept"] = _accept_attr()
            self.fields["files"].help_text = evidence_help()
        if measure is not None and measure.deadline:
            self.fields["new_deadline"].widget.attrs["min"] = (measure.deadline + dt.timedelta(days=1)).isoformat()
            self.fields["new_deadline"].help_text = _("The current deadline is %(date)s.") % {
                "date": measure.deadline.isoformat()
            }
        self.helper = _plain_helper()

    def clean_new_deadline(self):
        value = self.cleaned_data["new_deadline"]
        if self.measure is not None and self.measure.deadline and value <= self.measure.deadline:
            raise ValidationError(
                _("The new deadline must be after the current one (%(date)s).")
                % {"date": self.measure.deadline.isoformat()}
            )
        if value < dates.today():
            raise ValidationError(_("The new deadline cannot be in the past."))
        return value

    def step_args(self):
        return self.cleaned_data["new_deadline"], self.cleaned_data["reason"], self.cleaned_data.get("files") or []


class ExtensionDecisionForm(forms.Form):
    """The leader's or the office's decision on a request: a refusal needs a reason."""

    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, refuse=False, action="", **kwargs):
        super().__init__(*args, prefix=f"ext-{action}", **kwargs)
        if refuse:
            self.fields["comment"].label = _("Reason for refusing")
            self.fields["comment"].required = True
            self.fields["comment"].error_messages["required"] = _("Say why the extension is refused.")
        self.helper = _plain_helper()


class RoundForm(TextLimitsMixin, forms.ModelForm):
    class Meta:
        model = InspectionRound
        fields = ["source", "title", "feedback_date", "document_number", "report_due"]
        widgets = {"feedback_date": DateInput(), "report_due": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report_due"].help_text = _(
            "巡视: within 2 months of the feedback; 巡察: usually 3 months (local rule)."
        )
        self.helper = _plain_helper()

    def clean(self):
        data = super().clean()
        if data.get("report_due") and data.get("feedback_date") and data["report_due"] < data["feedback_date"]:
            self.add_error("report_due", _("The report cannot be due before the feedback date."))
        return data


class ProblemForm(TextLimitsMixin, forms.ModelForm):
    class Meta:
        model = Problem
        fields = ["number", "category", "description", "note"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, round_=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round_ or self.instance.round
        self.fields["number"].required = False
        self.fields["number"].help_text = _("Left empty: the next number in the round.")
        self.helper = _plain_helper()

    def clean_number(self):
        number = self.cleaned_data.get("number")
        if not number:
            if self.instance.pk:
                return self.instance.number
            last = Problem.objects.filter(round=self.round).order_by("-number").values_list("number", flat=True)
            return (last.first() or 0) + 1
        clash = Problem.objects.filter(round=self.round, number=number).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("Problem %(n)s already exists in this round.") % {"n": number})
        return number


class ImportUploadForm(forms.Form):
    round = forms.ModelChoiceField(
        label=_("Inspection round"),
        queryset=InspectionRound.objects.order_by("-feedback_date", "-id"),
        empty_label=_("— choose the round the problems belong to —"),
        help_text=_("New problems are numbered after the round's existing ones."),
    )
    file = forms.FileField(
        label=_("Feedback list (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.IMPORT_MAX_BYTES / 1048576
        self.fields["file"].help_text = _(
            "An .xlsx workbook of at most %(limit)s MB; the first sheet with a recognisable header row is read."
        ) % {"limit": f"{limit:g}"}
        self.data_bytes = b""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
                % {"size": f"{upload.size / 1048576:.1f}", "limit": f"{settings.IMPORT_MAX_BYTES / 1048576:g}"}
            )
        data = upload.read()
        try:
            check_upload(data)
        except ImportRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        self.data_bytes = data
        return upload


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    sha256 = forms.CharField(widget=forms.HiddenInput, min_length=64, max_length=64)

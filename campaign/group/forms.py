"""Forms for the campaign and its leadership group (edited by the office and admins)."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms import BaseInlineFormSet, inlineformset_factory, modelformset_factory
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre, Department
from cadres.selectors import in_official_order
from core.forms import TextLimitsMixin

from .models import Campaign, GroupMember, Phase


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CampaignForm(TextLimitsMixin, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "year", "start", "end", "office_department", "office_contact", "office_duties"]
        widgets = {"start": DateInput(), "end": DateInput(), "office_duties": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office_department"].queryset = Department.objects.filter(active=True).order_by("order", "id")
        self.fields["name"].widget.attrs["placeholder"] = _("e.g. 2026年“能力作风建设年”活动")


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["kind", "start", "end", "tasks"]
        widgets = {"start": DateInput(), "end": DateInput(), "tasks": forms.Textarea(attrs={"rows": 2})}


class BasePhaseFormSet(BaseInlineFormSet):
    """Phases lie within the campaign and do not overlap."""

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        start, end = self.instance.start, self.instance.end
        spans = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("kind"):
                continue
            phase_start, phase_end = data["start"], data["end"]
            spans.append((phase_start, phase_end, form))
            if start and end and start <= end and (phase_start < start or phase_end > end):
                form.add_error("start", _("A phase must lie within the campaign's start and end."))
        spans.sort(key=lambda span: span[0])
        for (_s1, end1, _f1), (start2, _e2, form2) in zip(spans, spans[1:], strict=False):
            if start2 <= end1:
                form2.add_error("start", _("Phases must not overlap."))


PhaseFormSet = inlineformset_factory(
    Campaign, Phase, form=PhaseForm, formset=BasePhaseFormSet, extra=3, max_num=3, validate_max=True, can_delete=True
)


class CadreChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, cadre):
        rank = cadre.rank or cadre.department.name
        return f"{cadre.name}（{cadre.department.name} · {rank}）" if cadre.rank else f"{cadre.name}（{rank}）"


class GroupMemberForm(TextLimitsMixin, forms.ModelForm):
    cadre = CadreChoiceField(queryset=Cadre.objects.none(), label=_("cadre"))

    class Meta:
        model = GroupMember
        fields = ["role", "cadre", "duty"]
        error_messages = {
            NON_FIELD_ERRORS: {"unique_together": _("This person is already in the group: one role per person.")}
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = _cadres()
        self.fields["duty"].help_text = ""
        self.fields["duty"].widget.attrs["placeholder"] = _(
            "e.g. responsible for the conduct work of the departments overseen"
        )


def _cadres():
    return in_official_order(Cadre.objects.filter(active=True).select_related("department"))


class BaseGroupMemberFormSet(BaseInlineFormSet):
    """One 组长 exactly: the main leader whom reminders and escalations reach."""

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        leaders = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("role") == GroupMember.Role.LEADER
            and form.cleaned_data.get("cadre")
        ]
        if not leaders:
            raise forms.ValidationError(_("The leadership group needs a group leader (组长): the main leader."))
        if len(leaders) > 1:
            for form in leaders[1:]:
                form.add_error("role", _("The group has one group leader (组长) only."))


GroupMemberFormSet = inlineformset_factory(
    Campaign, GroupMember, form=GroupMemberForm, formset=BaseGroupMemberFormSet, extra=3, can_delete=True
)


class OversightForm(forms.ModelForm):
    """Which bureau leader oversees a department (分管领导): where sign-offs and escalations go."""

    class Meta:
        model = Department
        fields = ["overseen_by"]

    def __init__(self, *args, leaders=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["overseen_by"]
        field.queryset = (
            leaders if leaders is not None else in_official_order(Cadre.objects.filter(is_leader=True, active=True))
        )
        field.required = False
        field.label = _("overseeing leader")


OversightFormSet = modelformset_factory(Department, form=OversightForm, extra=0)

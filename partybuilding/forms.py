"""Input of party building: planning and recording a meeting (one page, phone-friendly),
its attendance, leave, hand sign-in and make-up study. Messages are Chinese through
gettext and stand next to the field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre

from .models import Attendance, Branch, Meeting, Membership, PartyGroup

A = Attendance.Status
K = Meeting.Kind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several optional files in one input (Django's documented pattern); checked in uploads.py."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True, "accept": ".pdf,.jpg,.jpeg,.png"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeetingForm(forms.ModelForm):
    """The plan (kind, topic, when, where, who hosts and records) and, once held, the record."""

    branch = forms.ModelChoiceField(queryset=Branch.objects.none(), label=_("Branch"))
    attachments = MultipleFileField(
        label=_("Attachments"), help_text=_("Optional: the sign-in sheet or a photo (PDF, JPG, PNG).")
    )

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "group",
            "topic",
            "planned_at",
            "place",
            "host",
            "recorder",
            "lecturer",
            "held_on",
            "content",
            "decisions",
            "observers",
            "vote_subject",
            "votes_for",
            "votes_against",
            "votes_abstain",
        ]
        widgets = {
            "planned_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "held_on": DATE,
            "content": forms.Textarea(attrs={"rows": 6}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
            "votes_for": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "votes_against": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "votes_abstain": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args, branches=None, branch: Branch | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["planned_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if branch is not None or self.instance.pk:
            del self.fields["branch"]
            branch = branch or self.instance.branch
            self._limit_people(branch)
        else:
            self.fields["branch"].queryset = branches
            self.fields["branch"].empty_label = None
            first = branches.first()
            if first is not None:
                self._limit_people(branches if branches.count() > 1 else first)
        if not self.instance.pk:
            for name in [*self.Meta.fields[8:], "attachments"]:
                del self.fields[name]
        for name in ("host", "recorder", "lecturer", "group"):
            self.fields[name].required = False

    def _limit_people(self, branch):
        """Hosts and recorders from the branch's members; a lecturer may be any Party member."""
        branch_filter = {"branch__in": branch} if not isinstance(branch, Branch) else {"branch": branch}
        members = Membership.objects.filter(active=True, **branch_filter).values("cadre")
        self.fields["host"].queryset = Cadre.objects.filter(pk__in=members)
        self.fields["recorder"].queryset = Cadre.objects.filter(pk__in=members)
        self.fields["lecturer"].queryset = Cadre.objects.filter(
            active=True, political_status__in=[Cadre.Political.MEMBER, Cadre.Political.PROBATIONARY]
        )
        self.fields["group"].queryset = PartyGroup.objects.filter(**branch_filter)

    def clean(self):
        data = super().clean()
        kind, group = data.get("kind"), data.get("group")
        if kind == K.GROUP and group is None:
            self.add_error("group", _("Choose the Party group that meets."))
        if kind != K.GROUP:
            data["group"] = None
        branch = data.get("branch") or getattr(self.instance, "branch", None)
        if group is not None and branch is not None and group.branch_id != branch.pk:
            self.add_error("group", _("This group belongs to another branch."))
        if kind == K.LESSON and not data.get("lecturer"):
            self.add_error("lecturer", _("A Party lesson needs its lecturer."))
        votes = [data.get(n) for n in ("votes_for", "votes_against", "votes_abstain")]
        if any(v is not None for v in votes):
            if not data.get("vote_subject"):
                self.add_error("vote_subject", _("Say what was voted on."))
            for name in ("votes_for", "votes_against", "votes_abstain"):
                data[name] = data.get(name) or 0
        elif data.get("vote_subject"):
            self.add_error("votes_for", _("Enter the votes for, against and abstaining."))
        if data.get("held_on") and not data.get("content"):
            self.add_error("content", _("Record the main content of the meeting."))
        return data


class AttendanceForm(forms.Form):
    """One status and reason per person on the meeting's list. Once the meeting is recorded
    as held, everyone is present, on leave or absent, and leave and absence carry a reason."""

    CHOICES = [(A.PRESENT, _("present")), (A.LEAVE, _("on leave")), (A.ABSENT, _("absent"))]

    def __init__(self, rows: list[Attendance], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"status_{row.pk}"] = forms.ChoiceField(
                choices=self.CHOICES, label=row.cadre.name, initial=self._initial(row), widget=forms.RadioSelect
            )
            self.fields[f"reason_{row.pk}"] = forms.CharField(
                label=_("reason"), required=False, max_length=200, initial=row.reason
            )

    @staticmethod
    def _initial(row: Attendance) -> str:
        if row.status in (A.LEAVE, A.LEAVE_REQUESTED):
            return A.LEAVE
        return A.ABSENT if row.status == A.ABSENT else A.PRESENT

    def lines(self):
        """(row, status field, reason field) for the template."""
        return [(row, self[f"status_{row.pk}"], self[f"reason_{row.pk}"]) for row in self.rows]

    def clean(self):
        data = super().clean()
        for row in self.rows:
            status, reason = data.get(f"status_{row.pk}"), (data.get(f"reason_{row.pk}") or "").strip()
            if status in (A.LEAVE, A.ABSENT) and not reason:
                self.add_error(f"reason_{row.pk}", _("Give the reason for leave or absence."))
        return data

    def changes(self) -> dict[int, tuple[str, str]]:
        return {
            row.pk: (self.cleaned_data[f"status_{row.pk}"], (self.cleaned_data[f"reason_{row.pk}"] or "").strip())
            for row in self.rows
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class MakeupForm(forms.Form):
    on = forms.DateField(label=_("Date of the make-up study"), widget=DATE)
    note = forms.CharField(
        label=_("What I learned"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few lines are enough: what the meeting was about and what you take from it."),
    )

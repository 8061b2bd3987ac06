"""Input of party building: planning and recording a meeting (one page, phone-friendly),
its attendance, leave, hand sign-in and make-up study; a branch's organisation (members,
committee posts, groups, exemptions). Messages are Chinese through gettext and stand
next to the field."""

from __future__ import annotations

from django import forms
from django.db.models import Q
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
        # Current groups, and the group an older meeting of a dissolved one was held by.
        current = Q(dissolved_on=None) | Q(pk=self.instance.group_id)
        self.fields["group"].queryset = PartyGroup.objects.filter(current, **branch_filter)

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


# --- a branch's organisation ------------------------------------------------------------

MONTH = forms.DateInput(attrs={"type": "month", "placeholder": "2026-01"}, format="%Y-%m")


def member_label(cadre: Cadre) -> str:
    return f"{cadre.name}（{cadre.department.name}）" if cadre.department_id else cadre.name


class MembershipForm(forms.ModelForm):
    """Add a member (with `cadre`) or change one: group, 正式/预备 and the dates, and
    whether counted as due to attend (应到会), with the reason and period."""

    class Meta:
        model = Membership
        fields = ["cadre", *("group", "status", "joined_party_on", "full_member_on")]
        fields += ["not_counted", "not_counted_note", "not_counted_from", "not_counted_until"]
        widgets = {
            "joined_party_on": DATE,
            "full_member_on": DATE,
            "not_counted_from": DATE,
            "not_counted_until": DATE,
        }
        help_texts = {
            "not_counted": _(
                "Members on sick leave, away for over six months, under Party probation or suspended "
                "are not counted among those due to attend."
            ),
            "not_counted_until": _("Leave empty while it lasts."),
        }

    def __init__(self, *args, branch: Branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.branch = branch
        self.fields["group"].queryset = branch.groups.filter(dissolved_on=None)
        self.fields["group"].empty_label = _("no group")
        if self.instance.pk:
            del self.fields["cadre"]
        else:
            party = [Cadre.Political.MEMBER, Cadre.Political.PROBATIONARY]
            field = self.fields["cadre"]
            field.queryset = (
                Cadre.objects.filter(active=True, political_status__in=party)
                .exclude(memberships__branch=branch, memberships__active=True)
                .select_related("department")
            )
            field.label_from_instance = member_label
            field.help_text = _(
                "Cadres recorded as Party members or probationary members; the personnel section corrects the record."
            )


class EndMembershipForm(forms.Form):
    ended_on = forms.DateField(label=_("Left the branch on"), widget=DATE)
    reason = forms.CharField(
        label=_("Why the membership ends"),
        max_length=200,
        help_text=_("For example: transferred to another Party organisation, retired, died."),
    )


class CommitteeForm(forms.Form):
    """One field per post (organisation.POSTS of the branch's kind): a single member for
    the posts one person holds, several for 委员 and 副组长."""

    def __init__(self, *args, branch: Branch, posts, **kwargs):
        super().__init__(*args, **kwargs)
        members = branch.memberships.filter(active=True).select_related("cadre__department")
        self.posts = posts
        for role, single in posts:
            label = Membership.CommitteeRole(role).label
            holders = [m for m in members if m.committee_role == role]
            if single:
                field = forms.ModelChoiceField(members, label=label, required=False, empty_label="—")
                field.initial = holders[0].pk if holders else None
            else:
                field = forms.ModelMultipleChoiceField(
                    members, label=label, required=False, widget=forms.CheckboxSelectMultiple
                )
                field.initial = [m.pk for m in holders]
            field.label_from_instance = lambda m: member_label(m.cadre)
            self.fields[role] = field

    def holders(self) -> dict[str, list[Membership]]:
        result = {}
        for role, single in self.posts:
            value = self.cleaned_data.get(role)
            result[role] = ([value] if value else []) if single else list(value or [])
        return result


class GroupForm(forms.ModelForm):
    class Meta:
        model = PartyGroup
        fields = ["name", "leader", "order"]
        help_texts = {
            "leader": _("A member of the branch; a leader from another group moves into this one."),
            "order": _("Groups are listed by this number."),
        }

    def __init__(self, *args, branch: Branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.branch = branch
        members = branch.memberships.filter(active=True).values("cadre")
        self.fields["leader"].queryset = Cadre.objects.filter(pk__in=members).select_related("department")
        self.fields["leader"].label_from_instance = member_label
        self.fields["leader"].required = False


class RemoveGroupForm(forms.Form):
    move_to = forms.ModelChoiceField(
        PartyGroup.objects.none(), label=_("Move its members to"), required=False, empty_label=_("no group")
    )

    def __init__(self, *args, group: PartyGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["move_to"].queryset = group.branch.groups.filter(dissolved_on=None).exclude(pk=group.pk)


class ExemptionForm(forms.Form):
    obligation = forms.ChoiceField(label=_("Obligation"))
    first_month = forms.DateField(label=_("From month"), widget=MONTH, input_formats=["%Y-%m", "%Y-%m-%d"])
    last_month = forms.DateField(label=_("To month"), widget=MONTH, input_formats=["%Y-%m", "%Y-%m-%d"])
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("For example: the branch was founded in May; the second group was merged into the first."),
    )

    def __init__(self, *args, rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obligation"].choices = [(r.key, f"{r.label}（{r.frequency}）") for r in rules]

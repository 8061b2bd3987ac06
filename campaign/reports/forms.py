"""The 生成报告 form: a month, or a date range (and optionally one inspection round)."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from core import dates
from rectification.models import InspectionRound

from .models import Report

MAX_CUSTOM_DAYS = 366


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Report for"),
        choices=[(Report.Kind.MONTHLY, _("a month")), (Report.Kind.CUSTOM, _("a date range"))],
        initial=Report.Kind.MONTHLY,
        widget=forms.RadioSelect,
    )
    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.DateInput(attrs={"type": "month", "placeholder": "2026-03"}),
        help_text=_("For example 2026-03."),
    )
    period_start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    period_end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    round = forms.ModelChoiceField(
        label=_("Inspection round"),
        queryset=InspectionRound.objects.all(),
        required=False,
        empty_label=_("All sources and rounds"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = dates.today()
        self.fields["month"].initial = f"{today:%Y-%m}"

    def clean(self):
        data = super().clean()
        today = dates.today()
        if data.get("kind") == Report.Kind.CUSTOM:
            start, end = data.get("period_start"), data.get("period_end")
            if not start:
                self.add_error("period_start", _("Enter the first day of the period."))
            if not end:
                self.add_error("period_end", _("Enter the last day of the period."))
            if start and end:
                if end < start:
                    self.add_error("period_end", _("The last day must not be before the first day."))
                elif (end - start).days >= MAX_CUSTOM_DAYS:
                    self.add_error("period_end", _("A period may be at most one year long."))
                elif start > today:
                    self.add_error("period_start", _("The period must not start in the future."))
        else:
            try:
                start, end = dates.parse_month(data.get("month") or "")
            except ValueError as exc:
                self.add_error("month", str(exc))
                return data
            if start > today:
                self.add_error("month", _("A report cannot be built for a month that has not begun."))
            data["period_start"], data["period_end"] = start, end
            data["kind"] = Report.Kind.MONTHLY
        return data

    def report_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "round": data.get("round"),
        }


def default_month(today: dt.date | None = None) -> str:
    today = today or dates.today()
    return f"{today:%Y-%m}"


class NarrativeForm(forms.Form):
    """The office's text for a month's report: three parts, one paragraph a line; a line
    opening with （一） becomes a subheading."""

    practices = forms.CharField(
        label=_("Main practices and results"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    problems = forms.CharField(
        label=_("Problems that remain"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )
    plans = forms.CharField(
        label=_("Plans for the next stage"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )


def narrative_month(value: str | None, today: dt.date | None = None) -> dt.date:
    """The month whose text the page shows: ?text_month=YYYY-MM, else the month a report is
    most likely being written for (the previous one in a month's first ten days)."""
    try:
        return dates.parse_month(value or "")[0]
    except ValueError:
        today = today or dates.today()
        return dates.previous_month(today)[0] if today.day <= 10 else dates.month_start(today)

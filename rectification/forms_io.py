"""Forms of the feedback-list import page."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .importing import ImportRefused, check_upload
from .models import InspectionRound


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

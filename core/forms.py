from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .models import NotificationPreference


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The user name or password is wrong. Note that both are case-sensitive."),
        "inactive": _("This account is disabled. Please contact the system administrator."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autofocus": True, "autocomplete": "username"})


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email_enabled"]


class TextLimitsMixin:
    """Every long-text field of the form (a textarea without its own limit) gets the limit
    settings.TEXT_MAX_CHARS, said in its help text and enforced by the browser (maxlength)
    and the server: nothing is cut silently later (an xlsx cell holds 32,767 characters)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.TEXT_MAX_CHARS
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea) and not field.max_length:
                field.max_length = limit
                field.validators.append(MaxLengthValidator(limit))
                field.widget.attrs["maxlength"] = str(limit)
                stated = _("At most %(limit)s characters.") % {"limit": limit}
                field.help_text = f"{field.help_text} {stated}".strip() if field.help_text else stated

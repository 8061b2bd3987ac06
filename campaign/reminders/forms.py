"""The office's form for a department's group-chat robot."""

from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.models import Department

from .models import ChatRobot


class ChatRobotForm(forms.ModelForm):
    webhook_url = forms.URLField(label=_("webhook URL"), max_length=500, assume_scheme="https")

    class Meta:
        model = ChatRobot
        fields = ["department", "kind", "webhook_url", "secret", "active"]
        widgets = {"secret": forms.PasswordInput(render_value=True)}
        help_texts = {
            "secret": _("DingTalk only: the SEC… secret of a robot with signing (加签) turned on."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["webhook_url"].help_text = _(
            "The robot's webhook address from the group's settings, e.g. "
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… or https://oapi.dingtalk.com/robot/send?access_token=…"
        )
        self.fields["department"].queryset = Department.objects.filter(active=True).order_by("order", "id")

    def clean_webhook_url(self):
        url = self.cleaned_data["webhook_url"]
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.query:
            raise forms.ValidationError(_("Paste the whole webhook address, including its key or access_token."))
        return url

    def clean(self):
        data = super().clean()
        if data.get("kind") == ChatRobot.Kind.WECOM and data.get("secret"):
            self.add_error("secret", _("WeCom robots have no signing secret: leave this empty."))
        return data

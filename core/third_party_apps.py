"""Chinese names for the third-party apps the Django admin lists (their own configs name
them in English only: "Axes", "Simple_History")."""

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    verbose_name = _("Login lockouts")


class SimpleHistoryConfig(AppConfig):
    name = "simple_history"
    verbose_name = _("Change history")

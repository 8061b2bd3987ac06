"""Words of the Django admin and of the apps it shows (django-axes, simple-history) that
have no Simplified Chinese translation of their own. Listed here so that makemessages
puts them in the project's catalogue (locale/zh_Hans/admin.json gives the Chinese), which
Django reads before the packages' own: the admin is Chinese throughout. Nothing imports
this module."""

from django.utils.translation import gettext_noop

WORDS = [
    # django.contrib.admin (5.2): the table headings of the app list, for screen readers.
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    # django-axes: its models, fields and messages.
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Logout Time"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    # simple-history: the object history list.
    gettext_noop("Changes"),
]

"""Django stores the names of model permissions in English ("Can add measure"), and the
admin's user and group pages list them as they are stored. After every migrate they are
rewritten in the site's language from the model's own verbose name ("可以添加整改措施"),
so that the admin is Chinese throughout."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

ACTIONS = {
    "add": lambda: _("Can add %(name)s"),
    "change": lambda: _("Can change %(name)s"),
    "delete": lambda: _("Can delete %(name)s"),
    "view": lambda: _("Can view %(name)s"),
}


def translate_permission_names(**kwargs) -> None:
    from django.contrib.auth.models import Permission

    with translation.override(settings.LANGUAGE_CODE):
        for permission in Permission.objects.select_related("content_type"):
            action, _sep, model_name = permission.codename.partition("_")
            model = permission.content_type.model_class()
            if action not in ACTIONS or model is None or model._meta.model_name != model_name:
                continue  # a custom permission keeps the name its model gave it
            name = (ACTIONS[action]() % {"name": model._meta.verbose_name})[:255]
            if permission.name != name:
                Permission.objects.filter(pk=permission.pk).update(name=name)

"""The Django admin, for administrators only.

Every role edits its records in the app's own pages, with the scoping those pages apply;
the admin has none, so a 组织人事科 or 支部书记 account with is_staff and model permissions
could widen its own scope there (move its cadre record into another department, change who
oversees a department). The site therefore admits only superusers and 系统管理员 (with
is_staff), whatever permissions a group carries. INSTALLED_APPS names AdminConfig instead
of django.contrib.admin.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig

from cadres.roles import ADMIN, has_role


def is_administrator(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_staff
        and (user.is_superuser or has_role(user, ADMIN))
    )


class AdministratorsSite(admin.AdminSite):
    def has_permission(self, request):
        return is_administrator(request.user)


class AdminConfig(DjangoAdminConfig):
    default_site = "config.admin_site.AdministratorsSite"

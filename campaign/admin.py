"""Django's admin autodiscovery imports this module; each feature registers its own pages."""

from .group import admin as group_admin
from .reminders import admin as reminders_admin
from .reports import admin as reports_admin

__all__ = ["group_admin", "reminders_admin", "reports_admin"]

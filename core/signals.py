from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import calendar
from .db import register_sqlite_collations
from .models import CalendarDay, CalendarYear

connection_created.connect(register_sqlite_collations)


@receiver([post_save, post_delete], sender=CalendarDay)
@receiver([post_save, post_delete], sender=CalendarYear)
def _calendar_changed(**kwargs):
    calendar.invalidate()

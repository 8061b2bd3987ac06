"""Celery tasks of the reminder sweep."""

"""Celery tasks that build reports."""

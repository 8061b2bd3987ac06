"""Reminder sweep records (the reminders feature)."""

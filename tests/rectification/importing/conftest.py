"""Helpers of the import tests (the round_ fixture is tests/rectification/conftest.py's)."""


def messages(preview):
    return "\n".join(preview.messages())

"""Punctuation that follows the language: Chinese takes 、 （） ：, English takes , () :.
(The monthly report is always Chinese and writes its own.)"""

from django.utils.translation import gettext as _


def join(items) -> str:
    """“行政审批科、办公室” in Chinese, “A, B” in English."""
    text = ""
    for item in items:
        text = _("%(first)s, %(second)s") % {"first": text, "second": item} if text else str(item)
    return text


def parenthesised(text) -> str:
    return _("(%(text)s)") % {"text": text}


def labelled(label, value) -> str:
    return _("%(label)s: %(value)s") % {"label": label, "value": value}

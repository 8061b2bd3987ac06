"""Database helpers: the 姓氏笔画 (surname stroke) collation for SQLite.

PostgreSQL gets it from ICU in a migration; SQLite gets the same ICU collator from PyICU,
registered on every new connection.
"""

import icu

_collator = icu.Collator.createInstance(icu.Locale("zh@collation=stroke"))


def stroke_compare(a: str, b: str) -> int:
    return _collator.compare(a or "", b or "")


def register_sqlite_collations(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation("zh_stroke", stroke_compare)

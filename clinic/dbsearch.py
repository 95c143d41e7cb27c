"""Text-search indexes that also migrate on SQLite (the embedded default).

`TrigramIndex` is a pg_trgm GIN index on PostgreSQL, serving LIKE '%word%'
and ILIKE over the indexed expression. SQLite has neither GIN nor operator
classes; there it is a plain index of the same expression, so migrations and
SQLite's table rebuilds (which recreate every index of the model state)
still work.
"""

from typing import Any

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models

TRIGRAM_OPS = "gin_trgm_ops"


def trigram(expression: Any) -> OpClass:
    """`expression` (a field name or an expression) under pg_trgm's operator class."""
    return OpClass(models.F(expression) if isinstance(expression, str) else expression, name=TRIGRAM_OPS)


class TrigramIndex(GinIndex):
    def create_sql(self, model, schema_editor, using="", **kwargs):  # type: ignore[no-untyped-def]  # Django's signature
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = [e.source_expressions[0] if isinstance(e, OpClass) else e for e in self.expressions]
        return models.Index(*plain, name=self.name).create_sql(model, schema_editor, **kwargs)


PREFIX_OPS = "text_pattern_ops"


class PrefixIndex(models.Index):
    """A b-tree index serving LIKE 'abc%' over `expression` (text_pattern_ops on PostgreSQL).

    Under a non-C collation PostgreSQL's plain b-tree cannot answer a prefix
    LIKE; the pattern operator class can. SQLite gets a plain index of the
    same expression, as TrigramIndex does.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):  # type: ignore[no-untyped-def]  # Django's signature
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = [e.source_expressions[0] if isinstance(e, OpClass) else e for e in self.expressions]
        return models.Index(*plain, name=self.name).create_sql(model, schema_editor, **kwargs)


def prefix(expression: Any) -> OpClass:
    """`expression` under the pattern operator class, for PrefixIndex."""
    return OpClass(models.F(expression) if isinstance(expression, str) else expression, name=PREFIX_OPS)

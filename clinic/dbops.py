"""Migration operations that apply to PostgreSQL only.

The embedded default (SQLite) cannot hold exclusion constraints; there the
booking service's own overlap check is the guard. The model state keeps the
constraint either way, so makemigrations stays quiet.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations


class AddPostgresConstraint(migrations.AddConstraint):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


__all__ = ["AddPostgresConstraint", "BtreeGistExtension"]

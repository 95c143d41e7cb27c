"""Migration operations for the two databases: PostgreSQL, and the embedded SQLite default.

The embedded default (SQLite) cannot hold exclusion constraints; there the
booking service's own overlap check is the guard. The model state keeps the
constraint either way, so makemigrations stays quiet. Because the state keeps
it, SQLite must never rebuild such a table from the state (its usual way of
adding a NOT NULL column or a constraint): `AddColumnInPlace` adds the column
with ALTER TABLE there instead.
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


class AddColumnInPlace(migrations.AddField):
    """AddField that on SQLite adds the column in place (ALTER TABLE … ADD COLUMN).

    For a field with a constant default on a table whose model has an exclusion
    constraint. The column gets its default and its column check; table-level
    constraints added by later operations should be AddPostgresConstraint.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        field = model._meta.get_field(self.name)
        definition, params = schema_editor.column_sql(model, field, include_default=True)
        schema_editor.execute(
            f"ALTER TABLE {schema_editor.quote_name(model._meta.db_table)} "
            f"ADD COLUMN {schema_editor.quote_name(field.column)} {definition}",
            params,
        )


__all__ = ["AddColumnInPlace", "AddPostgresConstraint", "BtreeGistExtension"]

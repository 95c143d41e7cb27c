"""Migration operations for the two databases: PostgreSQL, and the embedded SQLite default.

The embedded default (SQLite) cannot hold exclusion constraints; there the
booking service's own overlap check is the guard. The model state keeps the
constraint either way, so makemigrations stays quiet. Because the state keeps
it, SQLite must never rebuild such a table from the state (its usual way of
adding a NOT NULL column or a constraint): `AddColumnInPlace` adds the column
with ALTER TABLE there instead.

`CreateModels` and `AddTriggers` do what a run of CreateModel or AddTrigger
operations does with one model-state reload: during migrate each single
operation re-renders its model and every model related to it, and the
clinical record's dozens of models are all tied together through the patient
and the user, so replaying them one by one cost most of a minute.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations
from django.db.migrations.state import ModelState
from pgtrigger.migrations import TriggerOperationMixin, _add_trigger, _remove_trigger


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


class CreateModels(migrations.operations.base.Operation):
    """Several CreateModel operations applied as one: the models may refer to each other.

    Each table is created exactly as its CreateModel would create it, in list
    order; PostgreSQL adds the foreign keys at the end of the migration, and
    SQLite checks them only when rows are written, so a table may refer to one
    created later in the list.
    """

    reduces_to_sql = True

    def __init__(self, operations):
        if not all(isinstance(op, migrations.CreateModel) for op in operations):
            raise TypeError("CreateModels takes CreateModel operations only.")
        self.operations = list(operations)

    def deconstruct(self):
        return (self.__class__.__name__, [], {"operations": self.operations})

    def state_forwards(self, app_label, state):
        keys = []
        for op in self.operations:
            key = (app_label, op.name_lower)
            state.models[key] = ModelState(
                app_label,
                op.name,
                list(op.fields),
                dict(op.options),
                tuple(op.bases),
                list(op.managers),
            )
            keys.append(key)
        if state._relations is not None:
            for key in keys:
                state.resolve_model_relations(key)
        state.reload_models(keys, delay=False)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for op in self.operations:
            op.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for op in reversed(self.operations):
            op.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"Create {len(self.operations)} models"

    @property
    def migration_name_fragment(self):
        return "models"


class AddTriggers(TriggerOperationMixin, migrations.operations.base.Operation):
    """pgtrigger's AddTrigger for a list of (model name, trigger) pairs, in order.

    The database sees exactly what the AddTrigger operations would install
    (PostgreSQL only); the model state is reloaded once for all of them.
    """

    reduces_to_sql = False

    def __init__(self, triggers):
        self.triggers = [tuple(pair) for pair in triggers]

    def deconstruct(self):
        return (self.__class__.__name__, [], {"triggers": self.triggers})

    def state_forwards(self, app_label, state):
        touched = []
        for model_name, trigger in self.triggers:
            options = state.models[app_label, model_name].options
            options["triggers"] = [*options.get("triggers", []), trigger]
            touched.append((app_label, model_name))
        state.reload_models(touched, delay=True)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for model_name, trigger in self.triggers:
            model = to_state.apps.get_model(app_label, model_name)
            if self.allow_migrate_model_trigger(schema_editor, model):
                _add_trigger(schema_editor, model, trigger)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for model_name, trigger in reversed(self.triggers):
            model = from_state.apps.get_model(app_label, model_name)
            if self.allow_migrate_model_trigger(schema_editor, model):
                _remove_trigger(schema_editor, model, trigger)

    def describe(self):
        return f"Create {len(self.triggers)} triggers"

    @property
    def migration_name_fragment(self):
        return "triggers"


__all__ = [
    "AddColumnInPlace",
    "AddPostgresConstraint",
    "AddTriggers",
    "BtreeGistExtension",
    "CreateModels",
]

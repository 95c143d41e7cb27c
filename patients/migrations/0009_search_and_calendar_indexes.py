"""Patient search by trigram index (accent- and case-insensitive on PostgreSQL), the list's
name order with the id, phone digits kept by the database, and bounded day ranges.

On SQLite (the embedded default) the extensions and the fold function are not
created, the trigram indexes are plain ones (clinic.dbsearch), and a visit's
length is bounded by its type's duration check alone.
"""

import datetime

import django.contrib.postgres.indexes
import django.db.models.expressions
import django.db.models.functions.text
from django.conf import settings
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations, models

import clinic.dbops
import clinic.dbsearch
import patients.identity.search

# lower(unaccent(…)) as an IMMUTABLE function, so an index can hold it (unaccent
# itself is only STABLE: its dictionary could change). Schema-qualified, so the
# index means the same whatever the search_path of the session that reads it.
FOLD_SQL = """
CREATE OR REPLACE FUNCTION public.stride_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;
"""


def fold_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FOLD_SQL)


def fold_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS public.stride_fold(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0008_history_intake_flags_preferences_invitations"),
        ("staff", "0003_history_users_roles_devices"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Both do nothing on SQLite.
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunPython(fold_create, fold_drop, elidable=False),
        migrations.RemoveIndex(
            model_name="patient",
            name="patients_patient_name",
        ),
        migrations.AddField(
            model_name="patient",
            name="phone_digits",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.text.Replace(
                    django.db.models.functions.text.Replace(
                        django.db.models.functions.text.Replace(
                            django.db.models.functions.text.Replace(
                                django.db.models.functions.text.Replace(
                                    django.db.models.functions.text.Replace(
                                        models.F("phone"), models.Value(" "), models.Value("")
                                    ),
                                    models.Value("-"),
                                    models.Value(""),
                                ),
                                models.Value("("),
                                models.Value(""),
                            ),
                            models.Value(")"),
                            models.Value(""),
                        ),
                        models.Value("."),
                        models.Value(""),
                    ),
                    models.Value("+"),
                    models.Value(""),
                ),
                output_field=models.CharField(max_length=30),
            ),
        ),
        migrations.AddIndex(
            model_name="appointment",
            index=models.Index(fields=["starts_at"], name="patients_appt_start"),
        ),
        migrations.AddIndex(
            model_name="patient",
            index=models.Index(fields=["last_name", "first_name", "id"], name="patients_patient_name"),
        ),
        migrations.AddIndex(
            model_name="patient",
            index=clinic.dbsearch.TrigramIndex(
                django.contrib.postgres.indexes.OpClass(
                    patients.identity.search.SearchText("first_name", "last_name", "preferred_name", "email"),
                    name="gin_trgm_ops",
                ),
                name="patients_patient_search",
            ),
        ),
        migrations.AddIndex(
            model_name="patient",
            index=clinic.dbsearch.TrigramIndex(
                django.contrib.postgres.indexes.OpClass(models.F("phone_digits"), name="gin_trgm_ops"),
                name="patients_patient_phone_digits",
            ),
        ),
        # SQLite would rebuild the table from a state holding exclusion constraints.
        clinic.dbops.AddPostgresConstraint(
            model_name="appointment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "ends_at__lte",
                        django.db.models.expressions.CombinedExpression(
                            models.F("starts_at"), "+", models.Value(datetime.timedelta(seconds=10800))
                        ),
                    )
                ),
                name="patients_appointment_longest_visit",
                violation_error_message="A visit lasts at most three hours.",
            ),
        ),
    ]

from django.db import migrations


class Migration(migrations.Migration):
    """Joins the care-team tables and the search and calendar indexes, made side by side."""

    dependencies = [
        ("patients", "0009_search_and_calendar_indexes"),
        ("patients", "0011_care_team"),
    ]

    operations = []

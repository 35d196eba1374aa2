"""Indexes for national scale (a million arrivals, a hundred thousand cases); see README "Performance"."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models


class PostgreSQLOnly(migrations.RunSQL):
    """SQL that only PostgreSQL needs (and only it understands); SQLite, the demo database, skips it."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_arrival_import")]

    operations = [
        migrations.AddIndex(
            model_name="returnee",
            index=models.Index(
                condition=models.Q(("case__isnull", False)),
                fields=["case", "recorded_by_agency", "arrived_on"],
                name="returnee_of_case",
            ),
        ),
        migrations.RemoveIndex(model_name="case", name="cases_case_reporte_f1a5cf_idx"),
        migrations.RemoveIndex(model_name="case", name="cases_case_resolut_e920e3_idx"),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["reported_on", "resolution_on"], name="case_reported"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["resolution_on", "reported_on"], name="case_resolved"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["identified_on", "stage", "destination_country", "exploitation_types", "id"],
                name="case_identified",
            ),
        ),
        # Name search ("sari" anywhere in the name, any case) reads a trigram index instead of every
        # person; the expression is the one Django's icontains writes.
        TrigramExtension(),
        PostgreSQLOnly(
            sql='CREATE INDEX person_name_trigram ON cases_person USING gin (UPPER("full_name") gin_trgm_ops)',
            reverse_sql="DROP INDEX person_name_trigram",
        ),
    ]

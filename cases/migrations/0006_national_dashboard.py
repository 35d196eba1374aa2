"""What the dashboard reads at national scale instead of the million arrivals and persons: the arrival
tally per agency and month, and the victims' sex and regency of origin copied onto CaseVictim."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Substr, TruncMonth


def fill(apps, schema_editor):
    # The historical models have none of the custom methods; this repeats ArrivalTally.recount.
    Returnee = apps.get_model("cases", "Returnee")
    ArrivalTally = apps.get_model("cases", "ArrivalTally")
    rows = (
        Returnee.objects.order_by()
        .annotate(tally_month=TruncMonth("arrived_on"))
        .values("recorded_by_agency_id", "tally_month", "category", "procedural", "screening_result")
        .annotate(with_case=Count("case"), arrivals=Count("pk"))
    )
    tallies = []
    for row in rows.iterator(chunk_size=10_000):
        for has_case, count in ((True, row["with_case"]), (False, row["arrivals"] - row["with_case"])):
            if count:
                tallies.append(
                    ArrivalTally(
                        agency_id=row["recorded_by_agency_id"],
                        month=row["tally_month"],
                        category=row["category"],
                        procedural=row["procedural"],
                        screening_result=row["screening_result"],
                        has_case=has_case,
                        arrivals=count,
                    )
                )
    ArrivalTally.objects.bulk_create(tallies, batch_size=5_000)

    CaseVictim = apps.get_model("cases", "CaseVictim")
    Person = apps.get_model("cases", "Person")
    person = Person.objects.filter(pk=OuterRef("person_id"))
    CaseVictim.objects.update(
        sex=Subquery(person.values("sex")[:1]),
        # "53.71" of "53.71.01.1001", "35" of "35": the regency, or the province when that is all.
        origin_regency=Subquery(person.annotate(regency=Substr("origin_region_id", 1, 5)).values("regency")[:1]),
    )
    CaseVictim.objects.filter(origin_regency__isnull=True).update(origin_regency="")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_load_regions"),
        ("cases", "0005_national_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArrivalTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField()),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("deportee", "Deportee"),
                            ("repatriated", "Repatriated"),
                            ("deceased", "Deceased"),
                            ("failed_departure", "Failed departure"),
                            ("regular", "Regular return"),
                        ],
                        max_length=16,
                    ),
                ),
                ("procedural", models.BooleanField()),
                (
                    "screening_result",
                    models.CharField(
                        choices=[
                            ("pending", "Not yet screened"),
                            ("possible_victim", "Possible victim"),
                            ("not_victim", "Not a victim"),
                        ],
                        max_length=16,
                    ),
                ),
                ("has_case", models.BooleanField()),
                ("arrivals", models.IntegerField(default=0)),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="accounts.agency"
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["month"], name="cases_arriv_month_06c97c_idx")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("agency", "month", "category", "procedural", "screening_result", "has_case"),
                        name="arrival_tally_once",
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="casevictim",
            name="origin_regency",
            field=models.CharField(blank=True, max_length=5, verbose_name="regency of origin"),
        ),
        migrations.AddField(
            model_name="casevictim",
            name="sex",
            field=models.CharField(
                blank=True, choices=[("F", "Female"), ("M", "Male")], max_length=1, verbose_name="sex"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]

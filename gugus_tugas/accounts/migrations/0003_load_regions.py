"""Kemendagri region codes shipped with the project (accounts/data/regions_ntt.csv, DESIGN §7)."""

import csv
from pathlib import Path

from django.db import migrations

REGIONS_CSV = Path(__file__).resolve().parent.parent / "data" / "regions_ntt.csv"


def load(apps, schema_editor):
    Region = apps.get_model("accounts", "Region")
    with REGIONS_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    # A region's parent is its code without the last segment (53.71.01 -> 53.71); parents come first.
    rows.sort(key=lambda row: (row["code"].count("."), row["code"]))
    Region.objects.bulk_create(
        Region(
            code=row["code"],
            name=row["name"],
            level=row["level"],
            parent_id=row["code"].rpartition(".")[0] or None,
        )
        for row in rows
    )


def unload(apps, schema_editor):
    apps.get_model("accounts", "Region").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_seed_agencies")]
    operations = [migrations.RunPython(load, unload)]

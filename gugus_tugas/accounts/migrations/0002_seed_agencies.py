"""The member agencies of the task force (DESIGN §2). Editable in the admin afterwards."""

from django.db import migrations

AGENCIES = [
    ("GT-TPPO-KUPANG", "Sekretariat Gugus Tugas PP-TPPO Kota Kupang", "task_force"),
    ("BP3MI-NTT", "Balai Pelayanan Pelindungan Pekerja Migran Indonesia NTT", "migrant_protection"),
    ("POLDA-NTT", "Direktorat Reserse Kriminal PPA dan PPO Polda NTT", "police"),
    ("POLRESTA-KUPANG", "Polresta Kupang Kota", "police"),
    ("KEJARI-KUPANG", "Kejaksaan Negeri Kota Kupang", "prosecution"),
    ("PN-KUPANG", "Pengadilan Negeri Kupang", "court"),
    ("DINSOS-KUPANG", "Dinas Sosial Kota Kupang", "social_service"),
    (
        "DP3A-KUPANG",
        "Dinas Pemberdayaan Perempuan dan Perlindungan Anak Kota Kupang (UPTD PPA)",
        "social_service",
    ),
    ("RSUD-KUPANG", "RSUD S.K. Lerik Kota Kupang", "health"),
    ("LPSK", "Lembaga Perlindungan Saksi dan Korban", "victim_protection"),
    ("IMIGRASI-KUPANG", "Kantor Imigrasi Kelas I TPI Kupang", "immigration"),
    ("DUKCAPIL-KUPANG", "Dinas Kependudukan dan Pencatatan Sipil Kota Kupang", "local_government"),
]


def seed(apps, schema_editor):
    Agency = apps.get_model("accounts", "Agency")
    for code, name, kind in AGENCIES:
        Agency.objects.update_or_create(code=code, defaults={"name": name, "kind": kind})


def unseed(apps, schema_editor):
    apps.get_model("accounts", "Agency").objects.filter(code__in=[code for code, _n, _k in AGENCIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]

import pytest

from gugus_tugas.accounts.models import Agency, Region

pytestmark = pytest.mark.django_db

DESIGN_AGENCIES = {
    "GT-TPPO-KUPANG": "task_force",
    "BP3MI-NTT": "migrant_protection",
    "POLDA-NTT": "police",
    "POLRESTA-KUPANG": "police",
    "KEJARI-KUPANG": "prosecution",
    "PN-KUPANG": "court",
    "DINSOS-KUPANG": "social_service",
    "DP3A-KUPANG": "social_service",
    "RSUD-KUPANG": "health",
    "LPSK": "victim_protection",
    "IMIGRASI-KUPANG": "immigration",
    "DUKCAPIL-KUPANG": "local_government",
}


def test_the_agencies_of_the_design_are_seeded():
    assert dict(Agency.objects.values_list("code", "kind")) == DESIGN_AGENCIES


def test_the_kemendagri_regions_are_loaded_with_their_parents():
    levels = {
        level: Region.objects.filter(level=level).count()
        for level in ["province", "regency", "district", "village"]
    }
    assert levels == {"province": 38, "regency": 22, "district": 314, "village": 51}
    alak = Region.objects.get(code="53.71.01")
    assert alak.name == "Alak"
    assert alak.parent.name == "Kota Kupang"
    assert alak.parent.parent.name == "Nusa Tenggara Timur"
    assert not Region.objects.filter(level="province", parent__isnull=False).exists()

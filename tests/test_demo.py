"""The demo database the Quick start builds (seed_demo)."""

import pytest
from django.core.management import CommandError, call_command

from cases.demo import POLDA_NTT_FIGURES
from cases.models import Case, Returnee
from gugus_tugas.accounts.demo import DEMO_ACCOUNTS
from gugus_tugas.accounts.models import User

pytestmark = pytest.mark.django_db


def test_it_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()


@pytest.fixture
def demo(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    return capsys.readouterr().out


def test_the_demo_has_an_account_for_every_role_and_agency_and_prints_them(demo):
    for username in DEMO_ACCOUNTS:
        assert username in demo
        assert User.objects.get(username=username).check_password("demo-kupang-2026")
    assert "demo-kupang-2026" in demo
    assert {user.agency.code for user in User.objects.filter(role="officer")} >= {
        "BP3MI-NTT",
        "POLDA-NTT",
        "KEJARI-KUPANG",
        "DINSOS-KUPANG",
        "DP3A-KUPANG",
        "LPSK",
    }


def test_the_demo_reproduces_the_polda_ntt_figures(demo):
    for year, (reported, resolved) in POLDA_NTT_FIGURES.items():
        cohort = Case.objects.filter(reported_on__year=year)
        assert (year, cohort.count(), cohort.filter(resolution_on__isnull=False).count()) == (
            year,
            reported,
            resolved,
        )
    assert Returnee.objects.filter(country="MY").count() > Returnee.objects.exclude(country="MY").count()
    assert Case.objects.filter(stage="identified").exists()
    assert Case.objects.filter(stage="not_tppo").exists()


def test_running_it_again_adds_nothing(demo, settings):
    before = Case.objects.count(), Returnee.objects.count()
    call_command("seed_demo")
    assert (Case.objects.count(), Returnee.objects.count()) == before


def test_the_chair_reads_the_polda_ntt_figures_through_the_api(demo, client):
    client.force_login(User.objects.get(username="ketua"))
    first, last = min(POLDA_NTT_FIGURES), max(POLDA_NTT_FIGURES)
    response = client.get(f"/api/v1/dashboard/yearly/?from={first}&to={last}")
    assert response.status_code == 200
    got = {row["year"]: (row["reported"], row["resolved_of_reported"]) for row in response.json()["years"]}
    assert got == POLDA_NTT_FIGURES

import pytest
from django.core.management import CommandError, call_command

from gugus_tugas.accounts.models import Role, User

pytestmark = pytest.mark.django_db


def create(**options):
    defaults = {
        "username": "budi",
        "agency": "POLDA-NTT",
        "role": "officer",
        "password": "sandi-panjang-sekali",
    }
    call_command("create_officer", **{**defaults, **options})


def test_it_creates_an_account_of_one_agency_with_one_role(capsys):
    create(full_name="Budi Santoso", email="budi@example.org")
    user = User.objects.get(username="budi")
    assert user.agency.code == "POLDA-NTT"
    assert user.role == Role.OFFICER
    assert (user.first_name, user.last_name) == ("Budi", "Santoso")
    assert user.check_password("sandi-panjang-sekali")
    assert "budi" in capsys.readouterr().out


def test_it_creates_a_chair_and_an_admin():
    create(username="ketua", agency="GT-TPPO-KUPANG", role="chair")
    create(username="admin", agency="GT-TPPO-KUPANG", role="admin")
    assert User.objects.get(username="ketua").is_chair
    assert User.objects.get(username="admin").is_administrator


def test_an_unknown_agency_is_refused_with_the_known_codes():
    with pytest.raises(CommandError) as refused:
        create(agency="POLDA-XYZ")
    assert "POLDA-XYZ" in str(refused.value)
    assert "BP3MI-NTT" in str(refused.value)  # the known codes are listed
    assert not User.objects.filter(username="budi").exists()


def test_an_unknown_role_is_refused_in_indonesian():
    with pytest.raises(CommandError, match=r"Peran .*superuser.* tidak dikenal"):
        create(role="superuser")


def test_a_taken_username_and_a_weak_password_are_refused():
    create()
    with pytest.raises(CommandError, match="sudah dipakai"):
        create()
    with pytest.raises(CommandError, match="Kata sandi terlalu pendek"):
        create(username="siti", password="123")
    assert not User.objects.filter(username="siti").exists()


def test_without_a_password_and_without_a_terminal_it_refuses(monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CommandError, match="--password"):
        call_command("create_officer", username="budi", agency="POLDA-NTT", role="officer")

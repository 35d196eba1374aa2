import datetime

import pytest

from referrals import services
from tests.factories import make_case


@pytest.fixture
def bp3mi_case(bp3mi_officer, police_officer):
    """A BP3MI case the police already handle; its victim is the one referred."""
    return make_case(
        bp3mi_officer, handled_by=[police_officer.agency], identified_on=datetime.date(2026, 11, 2)
    )


@pytest.fixture
def send(bp3mi_officer, bp3mi_case, service_officer):
    """Send a referral of the case's victim from BP3MI (to Dinas Sosial unless told otherwise)."""

    def sender(**overrides):
        arguments = {
            "actor": bp3mi_officer,
            "person": bp3mi_case.victims.get().person,
            "case": bp3mi_case,
            "to_agency": service_officer.agency,
            "service": "shelter",
            "reason": "Butuh rumah aman.",
            "consent_on": datetime.date(2026, 11, 20),
            "consent_method": "written",
        }
        return services.referral_send(**{**arguments, **overrides})

    return sender

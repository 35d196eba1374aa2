"""The Django deployment checklist and OWASP ASVS level 2 where they apply: headers, hostile input,
the access log's reach, and the administrator's blindness to victims."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse
from rest_framework.authtoken.models import Token

from cases.models import Case, Person, Returnee
from gugus_tugas.accounts.models import AccessLog, User
from referrals import services as referral_services
from tests.conftest import PASSWORD
from tests.factories import make_case, make_person, make_returnee

pytestmark = pytest.mark.django_db


def test_security_headers_and_a_csp_without_inline_script(client, bp3mi_officer):
    client.force_login(bp3mi_officer)
    response = client.get(reverse("cases:returnee_list"))
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "http" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_have_no_inline_script_and_no_asset_from_another_host(client, bp3mi_officer, chair):
    pages = []
    client.force_login(bp3mi_officer)
    pages += [
        client.get(url).text
        for url in (
            reverse("cases:returnee_list"),
            reverse("cases:returnee_create"),
            reverse("cases:case_list"),
            reverse("referrals:inbox"),
        )
    ]
    client.force_login(chair)
    pages.append(client.get(reverse("dashboard:index")).text)
    for html in pages:
        assert "<script>" not in html and "onclick=" not in html and "javascript:" not in html
        assert 'src="http' not in html and 'href="http' not in html and "//cdn" not in html


def test_hsts_and_secure_cookies_are_on_in_production(settings, client):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get(reverse("login"), secure=True)
    assert response[
        "Strict-Transport-Security"
    ] == "max-age=31536000; includeSubDomains; preload" or response["Strict-Transport-Security"].startswith(
        "max-age=31536000"
    )


def test_a_first_visit_is_light(client):
    """A first visit (HTML, CSS, icon) stays far under 150 KB: connectivity in NTT is weak."""
    html = client.get(reverse("login"))
    total = len(html.content)
    for asset in ("/static/css/app.css", "/static/css/print.css", "/static/img/favicon.svg"):
        response = client.get(asset)
        assert response.status_code == 200
        total += len(b"".join(response.streaming_content)) if response.streaming else len(response.content)
    assert total < 150 * 1024


class TestHostileInput:
    def test_a_nul_byte_in_the_query_is_refused(self, client, bp3mi_officer):
        client.force_login(bp3mi_officer)
        assert client.get(reverse("cases:returnee_list") + "?q=a%00b").status_code == 400
        assert client.get("/api/v1/cases/?q=%00").status_code == 400

    def test_a_nul_byte_in_a_form_is_a_form_error_and_nothing_is_saved(self, client, bp3mi_officer):
        client.force_login(bp3mi_officer)
        response = client.post(
            reverse("cases:case_create"),
            {
                "case-identified_on": "01/02/2026",
                "case-source": "hotline",
                "case-summary": "ada\x00nul",
                "person-full_name": "Nama\x00",
                "person-sex": "F",
                "victim-relationship_to_trafficker": "unknown",
            },
        )
        assert response.status_code == 200
        assert "karakter null" in response.text.lower()
        assert not Case.objects.exists()

    def test_a_nul_byte_in_json_is_a_400(self, client, bp3mi_officer):
        client.force_login(bp3mi_officer)
        response = client.post(
            "/api/v1/cases/",
            {
                "identified_on": "2026-02-01",
                "source": "hotline",
                "victims": [{"full_name": "A\u0000B", "sex": "F"}],
            },
            content_type="application/json",
        )
        assert response.status_code == 400
        assert not Person.objects.exists()

    def test_over_long_input_is_refused_with_a_message(self, client, bp3mi_officer):
        client.force_login(bp3mi_officer)
        response = client.post(
            "/api/v1/cases/",
            {
                "identified_on": "2026-02-01",
                "source": "hotline",
                "summary": "x" * 5000,
                "victims": [{"full_name": "y" * 300, "sex": "F"}],
            },
            content_type="application/json",
        )
        assert response.status_code == 400
        assert "summary" in response.json() and "full_name" in response.json()["victims"]["0"]
        page = client.post(
            reverse("cases:returnee_create"),
            {
                "arrival-arrived_on": "01/02/2026",
                "arrival-arrival_point": "tenau_port",
                "arrival-category": "deportee",
                "arrival-procedural": "False",
                "arrival-route_notes": "z" * 4001,
                "person-full_name": "Nama",
                "person-sex": "F",
            },
        )
        assert page.status_code == 200 and "4000" in page.text
        assert not Returnee.objects.exists()

    @pytest.mark.parametrize(
        "url",
        [
            "/kasus/99999999999999999999/",
            "/api/v1/cases/99999999999999999999/",
            "/rujukan/1234567890123456789012/",
            "/api/v1/cases/-1/",
        ],
    )
    def test_an_absurd_id_is_a_404(self, client, bp3mi_officer, url):
        client.force_login(bp3mi_officer)
        assert client.get(url).status_code == 404

    @pytest.mark.parametrize(
        "query",
        [
            "report_year=0",
            "report_year=2024.5",
            "report_year=99999999999",
            "page=99999999999999999999",
            "stage=%F0%9F%92%A5",
        ],
    )
    def test_odd_filters_never_break_the_case_list(self, client, bp3mi_officer, query):
        client.force_login(bp3mi_officer)
        assert client.get(f"{reverse('cases:case_list')}?{query}").status_code == 200
        assert client.get(f"/api/v1/cases/?{query}").status_code in (200, 400, 404)


@pytest.fixture
def identities(bp3mi_officer, police_officer, service_officer):
    victim = make_person(bp3mi_officer.agency)
    case = make_case(bp3mi_officer, handled_by=[police_officer.agency], victims=[victim])
    returnee = make_returnee(bp3mi_officer, person=victim, case=case)
    referral = referral_services.referral_send(
        actor=bp3mi_officer,
        person=victim,
        to_agency=service_officer.agency,
        service="shelter",
        reason="x",
        consent_on=datetime.date(2024, 2, 1),
        consent_method="verbal",
    )
    return {"case": case, "returnee": returnee, "referral": referral, "victim": case.victims.get()}


def test_every_page_and_endpoint_that_shows_an_identity_is_logged(client, bp3mi_officer, identities):
    """Each view of a victim's full identity writes one access-log row that names the person."""
    case, returnee, referral = identities["case"], identities["returnee"], identities["referral"]
    person_id = identities["victim"].person_id
    client.force_login(bp3mi_officer)
    urls = [
        reverse("cases:returnee_list"),
        reverse("cases:returnee_detail", args=[returnee.pk]),
        reverse("cases:case_list"),
        reverse("cases:case_detail", args=[case.pk]),
        reverse("cases:case_history", args=[case.pk]),
        reverse("cases:victim_edit", args=[case.pk, identities["victim"].pk]),
        reverse("referrals:outbox"),
        reverse("referrals:detail", args=[referral.pk]),
        "/api/v1/returnees/",
        f"/api/v1/returnees/{returnee.pk}/",
        "/api/v1/cases/",
        f"/api/v1/cases/{case.pk}/",
    ]
    for url in urls:
        before = AccessLog.objects.count()
        assert client.get(url).status_code == 200, url
        rows = AccessLog.objects.order_by("-id")[: AccessLog.objects.count() - before]
        assert len(rows) == 1, url
        assert rows[0].person_ids == [person_id], url
        assert (rows[0].user, rows[0].action) == (bp3mi_officer, "view")


def test_writes_that_answer_with_an_identity_are_logged_and_searches_are_not_kept(client, bp3mi_officer):
    client.force_login(bp3mi_officer)
    created = client.post(
        "/api/v1/returnees/",
        {
            "person": {"full_name": "Rahasia Sekali", "sex": "F"},
            "arrived_on": "2026-01-05",
            "arrival_point": "tenau_port",
            "category": "deportee",
        },
        content_type="application/json",
    ).json()
    assert AccessLog.objects.filter(record_type="returnee", record_id=str(created["id"])).count() == 1
    client.patch(
        f"/api/v1/returnees/{created['id']}/",
        {"version": 1, "screened_on": "2026-01-05", "screening_result": "possible_victim"},
        content_type="application/json",
    )
    client.post(f"/api/v1/returnees/{created['id']}/open-case/", {}, content_type="application/json")
    assert AccessLog.objects.filter(record_type="returnee").count() == 2
    assert AccessLog.objects.filter(record_type="case").count() == 1
    client.get(reverse("cases:returnee_list") + "?q=Rahasia")
    entry = AccessLog.objects.filter(record_type="returnee_list").get()
    assert entry.detail == reverse("cases:returnee_list")  # the name searched for is not kept


def test_the_chairs_masked_views_log_nothing_but_exports_are_logged(client, chair, identities):
    client.force_login(chair)
    client.get(reverse("cases:case_detail", args=[identities["case"].pk]))
    client.get(f"/api/v1/cases/{identities['case'].pk}/")
    assert not AccessLog.objects.exists()
    client.get(reverse("dashboard:export", args=["victims_sex", "xlsx"]))
    assert AccessLog.objects.get().action == "export"


def test_the_admin_site_holds_no_victim_data(client, admin_user, identities):
    registered = {model._meta.app_label for model in admin.site._registry}
    assert registered.isdisjoint({"cases", "referrals", "authtoken"})  # a token opens victims' records
    client.force_login(admin_user)
    html = client.get(reverse("admin:index")).text
    assert identities["victim"].person.full_name not in html
    assert client.get(reverse("cases:case_detail", args=[identities["case"].pk])).status_code == 404
    assert client.get("/api/v1/cases/").json()["count"] == 0
    assert client.get("/api/v1/returnees/").json()["count"] == 0


def test_not_even_a_superuser_reads_the_api_tokens_in_the_admin_site(client, police_officer):
    client.post(
        "/api/v1/auth/token/",
        {"username": police_officer.username, "password": PASSWORD},
        content_type="application/json",
    )
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x"))
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404
    assert Token.objects.get(user=police_officer).key not in client.get(reverse("admin:index")).text


def test_the_api_speaks_only_json(client, bp3mi_officer, identities):
    """DRF's browsable API would list every person the officer sees, by name, in its forms' drop-downs,
    outside the access log."""
    client.force_login(bp3mi_officer)
    name = identities["victim"].person.full_name
    assert client.get("/api/v1/referrals/?format=api").status_code == 404
    browser = client.get("/api/v1/referrals/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert browser["Content-Type"] == "application/json"
    assert name not in browser.text
    assert client.get("/api/v1/referrals/", HTTP_ACCEPT="text/html").status_code == 406


def test_the_access_log_names_what_was_seen_in_the_officers_words(client, bp3mi_officer, chair, identities):
    client.force_login(bp3mi_officer)
    client.get(reverse("cases:case_detail", args=[identities["case"].pk]))
    entry = AccessLog.objects.get()
    assert str(entry).endswith(f"· Melihat identitas · Kasus #{identities['case'].pk}")
    client.force_login(chair)
    page = client.get(reverse("dashboard:access_log")).text
    assert f"Kasus #{identities['case'].pk}" in page and "<th>Data yang dilihat</th>" in page

"""The load run: 50 officers at once on their daily journeys, against gunicorn on the national data.

    .venv/bin/locust -f benchmarks/locustfile.py --headless -u 50 -r 2 -t 85s \
        --host http://127.0.0.1:8001 --csv benchmarks/results/locust

(README "Performance" says how to start gunicorn for it.) The accounts are those generate_national
creates, logged in through the login form (CSRF included) with its printed password, which
LOCUST_PASSWORD overrides. Each officer logs in once; the login is reported on its own row. Officers
arrive two a second (25 seconds until all fifty work, then sixty seconds together): a login hashes
the password on purpose slowly (PBKDF2), and fifty at the same instant would hold both cores. The
kinds of officer share the users 9 : 9 : 2 (with -u 50: 22 or 23 of each kind of officer, 5 chairs):

- BP3MI officers (Jawa Timur, Jawa Tengah, NTB): the arrival log, filtered and searched by NIK,
  an arrival, logging a new arrival, their cases and a case, the referral inbox.
- police investigators (Polda Jawa Timur, Jawa Tengah, NTB): the referral inbox, the case list
  filtered to investigations, a case, recording that the file went to the prosecutor (Tahap I).
- chairs: the dashboard page, now and then one of its sections from the API.

Between two steps an officer reads for one to three seconds.
"""

import datetime
import itertools
import os
import random
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("LOCUST_PASSWORD", "sintetis-nasional-2026")
OFFICES = ["jatim", "jateng", "ntb"]
ARRIVAL_LINK = re.compile(r'href="/kepulangan/(\d+)/"')
NIK_CELL = re.compile(r"<td>(\d{16})</td>")
CASE_LINK = re.compile(r'href="/kasus/(\d+)/"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def accounts(prefix: str):
    """nas-<prefix>-<office>-<n>, each office's three officers in turn."""
    return itertools.cycle(f"nas-{prefix}-{office}-{n}" for n in (1, 2, 3) for office in OFFICES)


BP3MI_ACCOUNTS = accounts("bp3mi")
POLICE_ACCOUNTS = accounts("polda")


class Officer(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    username = ""

    def on_start(self):
        self.client.get("/akun/masuk/", name="login form")
        token = self.client.cookies.get("csrftoken")
        with self.client.post(
            "/akun/masuk/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="login",
            catch_response=True,
        ) as response:
            if "/akun/masuk/" in response.url:
                response.failure(f"login failed for {self.username}")

    def page(self, path: str, name: str):
        """GET a page; a page that came back as the login form counts as a failure."""
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code == 200 and "/akun/masuk/" in response.url:
                response.failure("logged out")
            return response

    def post_form(self, path: str, data: dict, name: str):
        """Open the form (for its CSRF token), then send it; the redirect after saving is followed."""
        form = self.client.get(path, name=f"{name} (form)")
        token = CSRF_FIELD.search(form.text)
        data = {**data, "csrfmiddlewaretoken": token.group(1) if token else ""}
        with self.client.post(path, data, name=name, catch_response=True) as response:
            if not response.history:
                response.failure("the form came back with errors")  # a saved form redirects
            return response


class Bp3miOfficer(Officer):
    weight = 9

    def on_start(self):
        self.username = next(BP3MI_ACCOUNTS)
        self.arrivals, self.niks, self.cases = [], [], []
        super().on_start()
        self.arrival_list()

    @task(4)
    def arrival_list(self):
        text = self.page("/kepulangan/", "arrival list").text
        self.arrivals = ARRIVAL_LINK.findall(text) or self.arrivals
        self.niks = NIK_CELL.findall(text) or self.niks

    @task(2)
    def arrival_list_filtered(self):
        year = datetime.date.today().year
        self.page(f"/kepulangan/?category=deportee&arrived_from=01/01/{year}", "arrival list, filtered")

    @task(2)
    def search_nik(self):
        if self.niks:
            self.page(f"/kepulangan/?q={random.choice(self.niks)}", "arrival list, search NIK")

    @task(2)
    def arrival(self):
        if self.arrivals:
            self.page(f"/kepulangan/{random.choice(self.arrivals)}/", "arrival")

    @task(2)
    def log_arrival(self):
        today = datetime.date.today()
        female = random.random() < 0.6
        birth = today - datetime.timedelta(days=random.randint(20 * 365, 45 * 365))
        day = birth.day + (40 if female else 0)
        place = f"35{random.randint(1, 29):02d}{random.randint(1, 20):02d}"  # Jawa Timur
        nik = f"{place}{day:02d}{birth:%m%y}{random.randint(1, 9999):04d}"
        self.post_form(
            "/kepulangan/baru/",
            {
                "arrival-arrived_on": today.strftime("%d/%m/%Y"),
                "arrival-arrival_point": "other",
                "arrival-category": "deportee",
                "arrival-procedural": "False",
                "arrival-country": "MY",
                "person-full_name": "Siti Rahayu" if female else "Agus Santoso",
                "person-nik": nik,
                "person-sex": "F" if female else "M",
                "person-birth_date": birth.strftime("%d/%m/%Y"),
                "person-origin_region": "35",
            },
            "log an arrival",
        )

    @task(2)
    def cases(self):
        self.cases = CASE_LINK.findall(self.page("/kasus/", "case list").text) or self.cases

    @task(2)
    def case(self):
        if self.cases:
            self.page(f"/kasus/{random.choice(self.cases)}/", "case detail")

    @task(1)
    def inbox(self):
        self.page("/rujukan/", "referral inbox")


class PoliceInvestigator(Officer):
    weight = 9

    def on_start(self):
        self.username = next(POLICE_ACCOUNTS)
        self.investigations = []
        super().on_start()
        self.investigation_list()

    @task(3)
    def inbox(self):
        self.page("/rujukan/", "referral inbox")

    @task(3)
    def investigation_list(self):
        text = self.page("/kasus/?stage=investigation", "case list, filtered").text
        self.investigations = CASE_LINK.findall(text) or self.investigations

    @task(1)
    def case_list_by_year(self):
        self.page(f"/kasus/?report_year={datetime.date.today().year - 1}", "case list, filtered")

    @task(4)
    def case(self):
        if self.investigations:
            self.page(f"/kasus/{random.choice(self.investigations)}/", "case detail")

    @task(1)
    def record_tahap_1(self):
        if self.investigations:
            case = random.choice(self.investigations)
            self.post_form(
                f"/kasus/{case}/langkah/tahap1_sent/",
                {"on": datetime.date.today().strftime("%d/%m/%Y"), "note": "Berkas perkara dikirim."},
                "record a step (Tahap I)",
            )


class Chair(Officer):
    weight = 2
    username = "nas-ketua"

    @task(3)
    def dashboard(self):
        self.page("/dasbor/", "dashboard page")

    @task(1)
    def section(self):
        section = random.choice(
            ["yearly", "stages", "deadlines", "referrals", "victims", "obstacles", "returnees"]
        )
        self.page(f"/api/v1/dashboard/{section}/", "dashboard API")

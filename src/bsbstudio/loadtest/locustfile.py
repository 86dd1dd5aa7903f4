"""What a BSB team does in a week, for locust: read only by the locust subprocess.

Never import this module elsewhere: importing locust gevent-patches the standard library (and
breaks botocore and urllib3 in the importing process). It reads the JSON plan that
``runner.prepare`` wrote (``BSB_LOAD_PLAN``) and stops each user after ``BSB_LOAD_MAX_TASKS``.
"""

import json
import os
import random
import re

from locust import HttpUser, between, task
from locust.exception import StopUser

PLAN = json.loads(open(os.environ["BSB_LOAD_PLAN"], encoding="utf-8").read())
MAX_TASKS = int(os.environ.get("BSB_LOAD_MAX_TASKS", "1000"))
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
OFFICE = "application/vnd.openxmlformats-officedocument"
# The refusal of a passage the same person already coded to that theme (analysis/actions.py).
OVERLAP_MESSAGE = "Du har allerede kodet en del av dette avsnittet til"
# Where the leak guard sends an export that holds unreviewed findings (reports/urls.py).
LEAK_REVIEW = "/reports/exports/review/"
SMALL_TRANSCRIPT = (
    "I: Kan du fortelle hvordan det var å få hjelp fra teamet?\n"
    "{speaker}: Det tok tid før noen lyttet. Tone i teamet ringte meg hver uke, og det hjalp.\n"
    "I: Hva kunne vært bedre?\n"
    "{speaker}: At jeg slapp å vente så lenge på time. Og at de kom hjem til meg i {place}.\n"
)
PLACES = ["Sandøra", "Lindvåg", "Storhavn", "Bakkeby"]


class TeamMember(HttpUser):
    """One member of an evaluation team, logged in as the demo's process leader."""

    wait_time = between(1, 4)

    def on_start(self):
        """Log in and choose one evaluation to work on."""
        self.tasks_done = 0
        self.evaluation = random.choice(PLAN["evaluations"])
        self.slug = self.evaluation["slug"]
        page = self.client.get("/accounts/login/", name="log-in page")
        with self.client.post(
            "/accounts/login/",
            data={
                "username": PLAN["username"],
                "password": PLAN["password"],
                "csrfmiddlewaretoken": self._token(page.text),
                "next": "/e/",
            },
            name="log in (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "/accounts/login" in response.headers.get(
                "Location", ""
            ):
                response.failure(f"log-in refused ({response.status_code})")
                raise StopUser()

    def _count(self):
        self.tasks_done += 1
        if self.tasks_done > MAX_TASKS:
            raise StopUser()

    def _token(self, html: str) -> str:
        """The form's CSRF token, else the cookie's (a page without a form still sets it)."""
        match = CSRF_FIELD.search(html)
        return match.group(1) if match else self.client.cookies.get("csrftoken", "")

    def _page(self, url: str, name: str):
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code == 0:  # no answer: name the connection error
                response.failure(repr(response.error))
            elif response.status_code != 200:
                response.failure(f"status {response.status_code}")
            return response

    @task(2)
    def evaluation_list(self):
        """The list of evaluations."""
        self._count()
        self._page("/e/", "evaluation list")

    @task(4)
    def dashboard(self):
        """The evaluation's front page."""
        self._count()
        self._page(f"/e/{self.slug}/", "dashboard")

    @task(5)
    def workbench(self):
        """A de-identified text with its coded quotes."""
        self._count()
        text = random.choice(self.evaluation["texts"])
        self._page(f"/e/{self.slug}/analysis/text/{text['pk']}/", "coding workbench")

    @task(3)
    def matrix(self):
        """The matrix of themes and informant groups."""
        self._count()
        self._page(f"/e/{self.slug}/analysis/matrix/", "matrix")

    @task(3)
    def search(self):
        """Search the texts for a word."""
        self._count()
        word = random.choice(PLAN["search_words"])
        self._page(f"/e/{self.slug}/analysis/search/?q={word}", "search")

    @task(2)
    def transcript_list(self):
        """The evaluation's transcripts."""
        self._count()
        self._page(f"/e/{self.slug}/transcripts/", "transcript list")

    @task(1)
    def report_list(self):
        """The evaluation's reports."""
        self._count()
        self._page(f"/e/{self.slug}/reports/", "report list")

    @task(3)
    def code_quote(self):
        """Open a text, select a stretch of it and code it to a theme (as the browser does)."""
        self._count()
        text = random.choice(self.evaluation["texts"])
        url = f"/e/{self.slug}/analysis/text/{text['pk']}/"
        page = self._page(url, "coding workbench")
        body = text["text"]
        start = random.randrange(0, max(1, len(body) - 120))
        end = start + random.randint(20, 100)
        # As a person selects: inside one turn (one line), not starting or ending on white space.
        line_end = body.find("\n", start)
        if line_end != -1:
            end = min(end, line_end)
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        if end <= start:
            return
        data = {
            "csrfmiddlewaretoken": self._token(page.text),
            "code": random.choice(self.evaluation["codes"]),
            "quote": body[start:end],
            "start": start,
            "end": end,
            "polarity": random.choice(["positive", "critical", "neutral"]),
            "directness": "direct",
        }
        with self.client.post(
            url, data=data, name="code a quote (POST)", allow_redirects=False, catch_response=True
        ) as response:
            coded = response.status_code == 302 and "#segment-" in response.headers.get(
                "Location", ""
            )
            # All users are the same process leader, so a random passage may overlap one they
            # already coded to that theme: the app rightly refuses it with its message.
            refused_as_overlap = response.status_code == 200 and OVERLAP_MESSAGE in response.text
            if not (coded or refused_as_overlap):
                response.failure(f"not coded ({response.status_code})")

    @task(1)
    def upload_transcript(self):
        """Upload a small transcript for an interview (read, de-identified, stored)."""
        self._count()
        if not self.evaluation["interviews"]:
            return
        interview = random.choice(self.evaluation["interviews"])
        page = self._page(f"/e/{self.slug}/transcripts/", "transcript list")
        text = SMALL_TRANSCRIPT.format(
            speaker=interview["speakers"][0], place=random.choice(PLACES)
        )
        with self.client.post(
            f"/e/{self.slug}/transcripts/interview/{interview['pk']}/upload/",
            data={"csrfmiddlewaretoken": self._token(page.text)},
            files={"file": ("lasttest.txt", text.encode("utf-8"), "text/plain")},
            name="upload transcript (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or not (
                "/deid/" in location or "/speakers/" in location
            ):
                response.failure(f"not imported ({response.status_code} {location})")

    @task(2)
    def download(self):
        """Download a report, slides or the matrix as the demo has them."""
        self._count()
        if not self.evaluation["downloads"]:
            return
        item = random.choice(self.evaluation["downloads"])
        with self.client.get(
            item["url"], name=item["kind"], allow_redirects=False, catch_response=True
        ) as response:
            is_file = response.status_code == 200 and OFFICE in response.headers.get(
                "Content-Type", ""
            )
            # The users code random passages, and the leak guard rightly stops an export whose
            # new quotes hold a word that may identify someone until a person has checked it.
            sent_to_review = response.status_code == 302 and LEAK_REVIEW in response.headers.get(
                "Location", ""
            )
            if not (is_file or sent_to_review):
                response.failure(f"no file ({response.status_code})")

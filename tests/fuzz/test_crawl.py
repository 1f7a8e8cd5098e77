"""A crawl of every page linked from the landing page, as each role (the seven of the demo:
officer, a colleague's team outsider, team lead, partner, a partner of another organisation,
functional administrator, auditor): each page is fetched plainly and with hostile query
strings, and each of its forms is posted with hostile values. No answer is a server error.

Deterministic: the same hostile values every run (tests/fuzz/test_every_url.py draws more)."""

from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.test import Client

from tests.test_permission_matrix import world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

ROLES = ["officer", "outsider", "team_lead", "partner", "partner_out", "admin", "auditor"]
MAX_PAGES = 100
HOSTILE_VALUES = [
    "2026-02-30",
    "//evil.example",
    "https://evil.example/x",
    "\x00",
    "-1",
    "9" * 40,
    "<script>alert(1)</script>",
    "x" * 5000,
    "ｘ\u202e",
]
HOSTILE_PARAMS = ["next", "page", "q", "sort", "officer", "team", "phase", "status", "show"]
# Links that end the session or leave the application are not followed; the admin's pages
# are read (GET) by the functional administrator only, and none of its forms is posted.
SKIP_PREFIXES = ("/accounts/logout", "/static/", "/i18n/", "/beheer/logout/")
ADMIN_PREFIX = "/beheer/"
# Query strings whose links are not followed (none: the downloads are crawled too).
SKIP_QUERIES: tuple[str, ...] = ()


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[tuple[str, list[str]]] = []
        self._form = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = (a.get("action") or "", [])
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea") and self._form is not None and a.get("name"):
            if a["name"] != "csrfmiddlewaretoken":
                self._form[1].append(a["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def _same_site(base: str, href: str) -> str | None:
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    if parts.path.startswith(SKIP_PREFIXES) or any(q in parts.query for q in SKIP_QUERIES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.mark.parametrize("role", ROLES)
def test_crawl_meets_no_server_error(world, role):  # noqa: F811
    client = Client()
    client.force_login(world["users"][role])
    seen: set[str] = set()
    queue = ["/"]
    posted: set[str] = set()
    fetched = 0
    while queue and fetched < MAX_PAGES:
        url = queue.pop(0)
        if url in seen or (url.startswith(ADMIN_PREFIX) and role != "admin"):
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        fetched += 1
        assert response.status_code < 500, (role, "GET", url)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        page = _Links()
        page.feed(response.content.decode(errors="replace"))
        here = response.request["PATH_INFO"]
        for href in page.links:
            target = _same_site(here, href)
            if target and target not in seen:
                queue.append(target)
        path = urlsplit(url).path
        for index, value in enumerate(HOSTILE_VALUES[:2]):
            name = HOSTILE_PARAMS[(fetched + index) % len(HOSTILE_PARAMS)]
            query = urlencode({name: value, HOSTILE_PARAMS[index]: HOSTILE_VALUES[-1 - index]})
            hostile = client.get(f"{path}?{query}")
            assert hostile.status_code < 500, (role, "GET", path, query)
        for action, fields in page.forms:
            target = _same_site(here, action) if action else path
            if (
                not target
                or target in posted
                or urlsplit(target).path.startswith(("/accounts/", ADMIN_PREFIX))
            ):
                continue
            posted.add(target)
            data = {
                field: HOSTILE_VALUES[i % len(HOSTILE_VALUES)] for i, field in enumerate(fields)
            }
            answer = client.post(target, data)
            assert answer.status_code < 500, (role, "POST", target, data)
    assert fetched > 1, (role, "the crawl found no link")

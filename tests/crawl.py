"""A crawl of the application as each demo role sees it: from the landing page, follow every
same-site link (GET) and keep what each answered.

Two pages per URL name are read for their links (a case page stands for every case page), but
every distinct link found on a read page is fetched (of links that differ only in their query
string, a few per URL name), so "every link on a page answers its user" holds for each link,
not a sample. The Django admin (/beheer/) is Django's own and left out; so are
links that are not pages of this application. Report exports (`?export=`) are downloads, not
pages: the reports' own tests cover them; other downloads (PDF, iCalendar) are fetched for
their status only."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

from tests.responses import close_unread

# The demo accounts, one per role (seed_demo creates them).
ROLES = ("officer", "teamlead", "partner", "admin", "auditor")
SKIPPED_PREFIXES = ("/beheer/", "/static/", "/i18n/")
# How many pages of one URL name are read for their links (with different query strings, e.g.
# a filtered list): enough to meet every kind of link, few enough to stay fast.
READ_PER_NAME = 2
# Links that differ only in their query string (sorting, filters, pages) ask the same view the
# same permission question: a few of them per URL name are fetched, not every one.
QUERY_VARIANTS_PER_NAME = 3


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


@dataclass
class Page:
    url: str
    status: int
    content_type: str = ""
    html: str = ""
    # The page this URL was first linked from.
    linked_from: str = ""
    # Where a redirect leads.
    location: str = ""


@dataclass
class Crawl:
    role: str
    pages: dict = field(default_factory=dict)  # url -> Page, every URL fetched

    @property
    def html_pages(self):
        """The pages read for their links: HTML answered with 200."""
        return [page for page in self.pages.values() if page.html]


def links_of(html, base):
    parser = _Links()
    parser.feed(html)
    return [link for href in parser.hrefs for link in _same_site(href, base)]


def _same_site(href, base):
    """The path (and query) `href` leads to, as a one-item list; empty when it leaves the
    application or leads to a part the crawl leaves out."""
    parts = urlsplit(urldefrag(urljoin(base, href)).url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return []
    if parts.path.startswith(SKIPPED_PREFIXES) or "export=" in parts.query:
        return []
    return [parts.path + (f"?{parts.query}" if parts.query else "")]


def _url_name(path):
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


# Where a crawl starts: the landing page, and for the functional administrator (who lands in
# the Django admin) the pages of the application proper too.
START = ("/", "/notifications/", "/toegankelijkheid/")


def crawl_as(username, *, start=START, every_link=True):
    """Crawl the application logged in as the demo account `username`. With every_link False,
    a link is not fetched once its URL name has had its READ_PER_NAME pages read: the pages
    read (`html_pages`) are the same, the statuses of the other links are not collected."""
    from django.contrib.auth import get_user_model

    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username=username))
    result = Crawl(role=username)
    read_per_name = {}
    variants_per_name = {}
    queue = [(url, "") for url in start]
    while queue:
        url, linked_from = queue.pop(0)
        if url in result.pages:
            continue
        name = _url_name(url)
        if not every_link and read_per_name.get(name, 0) >= READ_PER_NAME:
            continue
        if "?" in url:
            if variants_per_name.get(name, 0) >= QUERY_VARIANTS_PER_NAME:
                continue
            variants_per_name[name] = variants_per_name.get(name, 0) + 1
        response = client.get(url)
        if response.streaming:  # a file (a document's download): not read, but closed
            close_unread(response)
        content_type = response.get("Content-Type", "")
        page = Page(url, response.status_code, content_type, linked_from=linked_from)
        result.pages[url] = page
        if response.status_code in (301, 302):
            page.location = response["Location"]
            queue.extend((link, url) for link in _same_site(response["Location"], url))
            continue
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        if read_per_name.get(name, 0) >= READ_PER_NAME:
            continue
        read_per_name[name] = read_per_name.get(name, 0) + 1
        page.html = response.content.decode()
        queue.extend((link, url) for link in links_of(page.html, url))
    return result

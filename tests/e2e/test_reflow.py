"""WCAG 1.4.10 Reflow: at 320 CSS pixels no page of the crawl (each demo role) is wider than
the viewport; wide tables scroll inside their own region instead."""

from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

from tests.crawl import ROLES, crawl_as
from tests.e2e.conftest import login

WIDTH = 320


def _one_page_per_view(crawl):
    """A case page stands for every case page: one URL of each view the role can read."""
    chosen = {}
    for page in crawl.html_pages:
        try:
            name = resolve(urlsplit(page.url).path).view_name
        except Resolver404:
            continue
        chosen.setdefault(name, page.url)
    return sorted(chosen.values())


def _too_wide(page):
    return page.evaluate(
        """(limit) => {
            const width = document.documentElement.scrollWidth;
            if (width <= limit) return null;
            // Name the widest elements that stick out, for the failure message.
            const out = [...document.querySelectorAll('body *')]
              .filter(el => el.getBoundingClientRect().right > limit + 1)
              .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                   + (el.className && typeof el.className === 'string'
                      ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
            return {width, out: out.slice(0, 6)};
        }""",
        WIDTH,
    )


def test_no_page_is_wider_than_a_320_px_viewport(browser, live_server, demo):
    too_wide = []
    visited = 0
    for role in ROLES:
        # Only the pages read matter here, not every link's status (tests/test_crawl.py).
        urls = _one_page_per_view(crawl_as(role, every_link=False))
        context = browser.new_context(viewport={"width": WIDTH, "height": 640}, locale="nl-NL")
        page = context.new_page()
        page.set_default_timeout(15000)
        page.base_url = live_server.url
        login(page, role)
        for url in urls:
            response = page.goto(live_server.url + url)
            assert response.status == 200, (role, url)
            visited += 1
            found = _too_wide(page)
            if found:
                too_wide.append((role, url, found))
        context.close()
    assert visited > 40
    assert not too_wide, "\n".join(f"{role} {url} {found}" for role, url, found in too_wide)

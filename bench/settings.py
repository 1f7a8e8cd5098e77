"""Benchmark settings: production settings plus the floor view and a query counter.

The product never imports this package."""

from dtv.settings import *  # noqa: F403
from dtv.settings import INSTALLED_APPS, MIDDLEWARE

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
# Counts the SQL queries of each response into an X-Query-Count header, for the report.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]

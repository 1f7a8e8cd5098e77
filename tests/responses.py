"""Closing a response as the test client does once it is read: without Django's
close_old_connections, which request_finished would otherwise run, closing the database
connection that the test's transaction holds (PostgreSQL; SQLite's in-memory one survives)."""

from django.core.signals import request_finished
from django.db import close_old_connections


def close_unread(response) -> None:
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)

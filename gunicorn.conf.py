"""gunicorn reads this file from the working directory on every start (the Dockerfile's and
the README's commands alike).

gunicorn writes `Server: gunicorn` into every response itself, below anything Django can
change; the application does not advertise its server software (issue 24.9), so the header is
left out here."""

from gunicorn.http import wsgi as _wsgi

_default_headers = _wsgi.Response.default_headers


def _without_server_header(self):
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


_wsgi.Response.default_headers = _without_server_header

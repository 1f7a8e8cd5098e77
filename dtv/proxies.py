"""What the application believes of the reverse proxies in front of it.

Behind a proxy every request comes from the proxy's address, and anything a client writes in
a header reaches us as it wrote it. So the client's address is read from X-Forwarded-For only
as far as the configured proxies vouch for it (TRUSTED_PROXY_COUNT: each proxy appends the
address it saw, so the client is the n-th entry from the right), and a client's own
X-Request-ID is kept only when a trusted proxy passed the request on. With no proxies
configured, REMOTE_ADDR is the client and every such header is ignored."""

import ipaddress

from django.conf import settings


def _address(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def from_trusted_proxy(request) -> bool:
    """Whether this request came through the configured proxies: there are some, and the
    peer is one of TRUSTED_PROXY_ADDRESSES when that list is given."""
    if settings.TRUSTED_PROXY_COUNT <= 0:
        return False
    networks = settings.TRUSTED_PROXY_ADDRESSES
    if not networks:
        return True
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return False
    ip = ipaddress.ip_address(peer)
    return any(ip in ipaddress.ip_network(network, strict=False) for network in networks)


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the address the trusted proxies recorded."""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if not from_trusted_proxy(request):
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    count = settings.TRUSTED_PROXY_COUNT
    if len(hops) < count:
        # Fewer entries than proxies: the chain is not the one configured; trust none of it.
        return remote
    return _address(hops[-count]) or remote

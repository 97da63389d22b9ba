"""The address of the client behind the reverse proxy. Knows no models.

X-Forwarded-For can be written by anyone, so it is believed only when the request comes from a
proxy listed in TRUSTED_PROXIES; each trusted proxy appends the address it received the request
from, so the list is read from the right, past the trusted proxies, to the first address none of
them is: the client as the outermost trusted proxy saw it. Whatever stands left of that was written
by the client and is ignored."""

import ipaddress

from django.conf import settings


def client_address(request, *, strict: bool = False) -> str | None:
    """The client's address, the one login lockouts and public-form limits count. A forwarded
    entry that is no address counts against the proxy that passed it on (a limit must count
    somebody); `strict` (who may read /metrics) gives None for it instead: a request whose client
    cannot be told is nobody's, and is refused."""
    remote = request.META.get("REMOTE_ADDR", "")
    if not is_trusted_proxy(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    nearest = remote
    for hop in reversed([hop.strip() for hop in forwarded.split(",") if hop.strip()]):
        address = _parse(hop)
        if address is None:
            # A trusted proxy never writes this; count the request against the proxy that sent
            # it rather than against a name anyone could have made up.
            return None if strict else nearest
        if not is_trusted_proxy(address):
            return address
        nearest = address
    return nearest


def is_trusted_proxy(address: str) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    if parsed.version == 6 and parsed.ipv4_mapped:  # an IPv4 proxy seen on a dual-stack socket
        parsed = parsed.ipv4_mapped
    return any(parsed in network for network in settings.TRUSTED_PROXIES)


def _parse(address: str) -> str | None:
    """The address in its canonical spelling, or None when it is not one."""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None

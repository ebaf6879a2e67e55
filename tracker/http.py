"""Who is asking: the client's address, the one rule the API throttles and
the admin login lockout both follow."""

from django.conf import settings


def client_ip(request) -> str:
    """The client's address, trusting `X-Forwarded-For` only as far as
    `TRACKER_TRUSTED_PROXIES` proxies of one's own put it there.

    Each proxy appends the address it received the request from, so with N
    trusted proxies in front of the app the client is the N-th address from
    the right; anything further left was written by the client and may be
    forged. With 0 (the default) the header is ignored and the address is
    the socket's (`REMOTE_ADDR`). A header shorter than N entries means the
    request skipped a proxy: its leftmost entry is the best there is.

    Takes a Django `HttpRequest` or a DRF `Request` (both carry `META`);
    django-axes calls it with the request alone (AXES_CLIENT_IP_CALLABLE).
    """
    remote_addr = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRACKER_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if trusted <= 0 or not forwarded:
        return remote_addr
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote_addr
    return hops[-min(trusted, len(hops))]

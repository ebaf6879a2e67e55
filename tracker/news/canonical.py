"""The canonical form of an article's address, so the same story reached
through different tracking links is one article. Plain Python."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Parameters that say who sent the reader, never which story it is.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "ref",
        "ref_src",
        "cmpid",
        "ncid",
        "sr_share",
        "spm",
        "src",
        "ito",
        "at_medium",
        "at_campaign",
        "rss",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hmb_", "__hs")


def is_tracking_parameter(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


def url_canonicalize(url: str) -> str:
    """Host lowercased, default port, fragment and tracking parameters
    dropped; the remaining parameters sorted so their order does not
    matter."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    if port and not (
        (scheme == "http" and port == 80) or (scheme == "https" and port == 443)
    ):
        host = f"{host}:{port}"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_parameter(key)
    )
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, urlencode(query), ""))

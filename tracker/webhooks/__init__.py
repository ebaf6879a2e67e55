"""Webhooks: signed, versioned event payloads POSTed to the endpoints staff
register, through the feeds' SSRF guard, retried with backoff."""

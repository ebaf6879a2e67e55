from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    """Read at request time, so the rate follows `API_ANON_RATE`."""

    def get_rate(self):
        return settings.TRACKER_API_ANON_RATE

"""Reads: functions returning querysets (already joined and prefetched) or
plain data, so views, pages and exports share one query plan."""

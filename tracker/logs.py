"""What every log line says besides its message: the request it belongs to
(django-guid's id, also sent back as the X-Request-ID header) or the
Celery task it runs in. Configured by `logging_config` in
config/settings/base.py; loaded before the apps, so nothing here imports a
model."""

import logging

from celery import current_task
from django_guid import get_guid

NONE = "-"


class RequestTaskFilter(logging.Filter):
    """Adds `request_id` and `task_id` to every record, "-" outside a
    request or a task, so a format may always name them."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = get_guid() or NONE
        task_id = current_task.request.id if current_task else None
        record.task_id = task_id or NONE
        return True

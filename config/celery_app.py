import logging.config

from celery import Celery, signals

# The settings module is chosen in config/__init__.py, imported before this.
app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.setup_logging.connect
def logging_from_settings(**kwargs):
    """The worker and beat log through settings.LOGGING, like the web,
    instead of Celery's own format (which names no logger): a receiver of
    this signal tells Celery to configure no logging of its own."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)

from celery import Celery

# The settings module is chosen in config/__init__.py, imported before this.
app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

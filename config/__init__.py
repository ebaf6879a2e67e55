"""The tracker's project package. Every process imports it first (gunicorn
config.wsgi, uvicorn config.asgi, `celery -A config`, manage.py), so the one
rule for the settings module lives here."""

import os

# DJANGO_SETTINGS_MODULE decides, for every process alike; unset, it is
# production, so a web, worker or beat process started bare on a server
# never runs development settings. Development sets config.settings.dev
# explicitly (the Makefile and Procfile.dev do).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

# Re-exported so that `celery -A config` finds the app.
from config.celery_app import app as celery_app

__all__ = ("celery_app",)

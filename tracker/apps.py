from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class TrackerConfig(AppConfig):
    default = True
    name = "tracker"
    verbose_name = "Intimacy coordination tracker"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from tracker.caching import connect_signals

        # One data version for every cache of derived figures: the case
        # page, the summary, list counts.
        connect_signals()


class TrackerAdminConfig(admin_apps.AdminConfig):
    """The admin, with the tracker's own site: models grouped for the job
    and a dashboard on the index."""

    default = False
    default_site = "tracker.admin_site.TrackerAdminSite"

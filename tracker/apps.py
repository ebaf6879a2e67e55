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

        from tracker.webhooks.signals import connect_signals as webhook_signals

        # Claim, milestone and news writes become webhook events.
        webhook_signals()

        from django.db.models.signals import post_save

        from tracker.models import Citation, Source
        from tracker.tasks import citation_saved, source_saved

        # Every write path (admin, API, import, services) saves a Source or
        # a Citation; a cited page not yet archived is queued for its
        # snapshot once the save is committed.
        post_save.connect(source_saved, sender=Source, dispatch_uid="archive")
        post_save.connect(citation_saved, sender=Citation, dispatch_uid="archive")


class TrackerAdminConfig(admin_apps.AdminConfig):
    """The admin, with the tracker's own site: models grouped for the job
    and a dashboard on the index."""

    default = False
    default_site = "tracker.admin_site.TrackerAdminSite"

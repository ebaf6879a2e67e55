from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Intimacy coordination tracker"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from tracker.api.summary import connect_signals
        from tracker.web.cache import connect_signals as connect_case_page_signals

        connect_signals()
        connect_case_page_signals()

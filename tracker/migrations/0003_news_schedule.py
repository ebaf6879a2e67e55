"""The default news schedule, in django-celery-beat's tables so staff can
change it in the admin."""

from django.db import migrations

# Installed once; an edited schedule is never overwritten.
REFRESH_TASK_NAME = "Refresh due news feeds"


def schedule_install(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # Every 5 minutes: each feed keeps its own interval, this only finds the
    # due ones. The entry expires before the next one so a stopped worker
    # never finds a pile of duplicate runs when it comes back.
    every_5_minutes, _ = IntervalSchedule.objects.get_or_create(
        every=5, period="minutes"
    )
    PeriodicTask.objects.get_or_create(
        name=REFRESH_TASK_NAME,
        defaults={
            "task": "tracker.tasks.refresh_due_feeds",
            "interval": every_5_minutes,
            "expire_seconds": 240,
            "description": "Finds the news feeds that are due and queues one "
            "refresh per feed.",
        },
    )


def schedule_remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=REFRESH_TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0002_search"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule_install, schedule_remove)]

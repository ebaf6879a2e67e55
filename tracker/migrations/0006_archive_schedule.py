"""The link recheck of archived sources, in django-celery-beat's tables so
staff can change it in the admin."""

from django.db import migrations

# Installed once; an edited schedule is never overwritten.
RECHECK_TASK_NAME = "Recheck source links"


def schedule_install(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # Hourly: each link keeps its own next check (a week when it answers, a
    # day when it fails), this only finds the due ones. The entry expires
    # before the next run so a stopped worker finds no pile of duplicates.
    every_hour, _ = IntervalSchedule.objects.get_or_create(every=1, period="hours")
    PeriodicTask.objects.get_or_create(
        name=RECHECK_TASK_NAME,
        defaults={
            "task": "tracker.tasks.recheck_due_links",
            "interval": every_hour,
            "expire_seconds": 3000,
            "description": "Finds the source links that are due for a check "
            "and queues one task per host, so each host sees one request at "
            "a time.",
        },
    )


def schedule_remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=RECHECK_TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0005_archive"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule_install, schedule_remove)]

"""The webhook retry sweep, in django-celery-beat's tables so staff can
change it in the admin."""

from django.db import migrations

# Installed once; an edited schedule is never overwritten.
SWEEP_TASK_NAME = "Deliver due webhook retries"


def schedule_install(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # Every minute: the shortest retry delay is 4 minutes, so a retry is
    # late by at most a minute. It expires before the next run so a stopped
    # worker finds no pile of duplicate sweeps.
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=SWEEP_TASK_NAME,
        defaults={
            "task": "tracker.tasks.deliver_due_webhooks",
            "interval": every_minute,
            "expire_seconds": 50,
            "description": "Queues the webhook deliveries whose retry is due.",
        },
    )


def schedule_remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=SWEEP_TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0005_open_data"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule_install, schedule_remove)]

"""The default periodic jobs, in django-celery-beat's tables so staff can
change them in the admin. Each is installed once; an edited schedule is
never overwritten."""

from django.db import migrations

# (name, task, every, period, expire_seconds, description). Each entry
# expires before its next run, so a stopped worker never finds a pile of
# duplicate runs when it comes back.
SCHEDULES = (
    # Every 5 minutes: each feed keeps its own interval, this only finds
    # the due ones.
    (
        "Refresh due news feeds",
        "tracker.tasks.refresh_due_feeds",
        5,
        "minutes",
        240,
        "Finds the news feeds that are due and queues one refresh per feed.",
    ),
    # Every minute: the shortest webhook retry delay is 4 minutes, so a
    # retry is late by at most a minute.
    (
        "Deliver due webhook retries",
        "tracker.tasks.deliver_due_webhooks",
        1,
        "minutes",
        50,
        "Queues the webhook deliveries whose retry is due.",
    ),
    # Hourly: each source link keeps its own next check (a week when it
    # answers, a day when it fails); this only finds the due ones.
    (
        "Recheck source links",
        "tracker.tasks.recheck_due_links",
        1,
        "hours",
        3000,
        "Finds the source links that are due for a check and queues one task "
        "per host, so each host sees one request at a time.",
    ),
)


def schedules_install(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, every, period, expire_seconds, description in SCHEDULES:
        interval, _ = IntervalSchedule.objects.get_or_create(every=every, period=period)
        PeriodicTask.objects.get_or_create(
            name=name,
            defaults={
                "task": task,
                "interval": interval,
                "expire_seconds": expire_seconds,
                "description": description,
            },
        )


def schedules_remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[entry[0] for entry in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0002_search"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedules_install, schedules_remove)]

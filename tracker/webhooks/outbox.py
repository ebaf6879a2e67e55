"""Events are collected while a transaction runs and published once it
commits: a claim saved with its citations is one `claim.created`, not a
created and a changed, and a rolled-back write sends nothing."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Model

from tracker.choices import WebhookEvent

logger = logging.getLogger(__name__)


@dataclass
class _Batch:
    events: dict[tuple, dict] = field(default_factory=dict)

    def add(self, event: str, model: type[Model], pk: int, extra: dict) -> None:
        self.events.setdefault((event, model, pk), {}).update(extra)

    def collapsed(self) -> list[tuple[str, type[Model], int, dict]]:
        # A change that comes with the record's creation, a dispute or a
        # deprecation is told by that event, whose payload carries the
        # record as it stands.
        told = {
            (model, pk)
            for event, model, pk in self.events
            if event
            in (
                WebhookEvent.CLAIM_CREATED,
                WebhookEvent.MILESTONE_ADDED,
                WebhookEvent.CLAIM_DISPUTED,
                WebhookEvent.CLAIM_DEPRECATED,
            )
        }
        return [
            (event, model, pk, extra)
            for (event, model, pk), extra in self.events.items()
            if not (event == WebhookEvent.CLAIM_CHANGED and (model, pk) in told)
        ]

    def flush(self) -> None:
        if _local.batch is self:
            _local.batch = None
        # Imported here: services import the models, which import this
        # module's signals at app start.
        from tracker.services.webhooks import events_publish

        events_publish(events=self.collapsed())


class _Local(threading.local):
    batch: _Batch | None = None


_local = _Local()


def event_record(event: str, instance: Model, **extra) -> None:
    model, pk = type(instance), instance.pk
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        batch = _Batch()
        batch.add(event, model, pk, extra)
        batch.flush()
        return
    batch = _local.batch
    # A batch whose flush is no longer queued belonged to a transaction
    # that rolled back.
    queued = batch is not None and any(
        entry[1] == batch.flush for entry in connection.run_on_commit
    )
    if not queued:
        batch = _local.batch = _Batch()
        transaction.on_commit(batch.flush, robust=True)
    batch.add(event, model, pk, extra)

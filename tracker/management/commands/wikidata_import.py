import datetime as dt
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from tracker.news.fetch import FetchError
from tracker.services.wikidata import wikidata_import
from tracker.wikidata.fetch import entities_fetch
from tracker.wikidata.parse import (
    QID_RE,
    Bundle,
    WikidataShapeError,
    entities_parse,
    sparql_parse,
)


class Command(BaseCommand):
    help = (
        "Import productions, people and award outcomes from Wikidata, each "
        "citing the Wikidata item. Give QIDs to fetch them (the only time "
        "this goes to the network), or --entities / --query files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "qids",
            nargs="*",
            metavar="QID",
            help="Items to import, e.g. Q42. Fetched from Wikidata unless "
            "files are given, in which case only these items of the files "
            "are imported.",
        )
        parser.add_argument(
            "--entities",
            action="append",
            default=[],
            metavar="FILE.json",
            help="Wikidata entity JSON (Special:EntityData or wbgetentities); "
            "may be given more than once.",
        )
        parser.add_argument(
            "--query",
            action="append",
            default=[],
            metavar="FILE.json",
            help="A SPARQL JSON results file (see docs/open-data.md).",
        )
        parser.add_argument(
            "--retrieved",
            type=dt.date.fromisoformat,
            default=None,
            metavar="YYYY-MM-DD",
            help="When the files were retrieved from Wikidata (default today).",
        )
        parser.add_argument("--json", action="store_true", help="Print a JSON report.")
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar on stderr."
        )

    def handle(self, *args, qids, entities, query, retrieved, **options):
        bad = [q for q in qids if not QID_RE.match(q)]
        if bad:
            raise CommandError(f"Not Wikidata ids: {', '.join(bad)} (e.g. Q42).")
        if not (qids or entities or query):
            raise CommandError("Give QIDs to fetch, or --entities / --query files.")
        bundle = Bundle()
        inputs = [(p, entities_parse) for p in entities]
        inputs += [(p, sparql_parse) for p in query]
        for path, parse in inputs:
            try:
                parse(self._read(path), bundle)
            except WikidataShapeError as exc:
                raise CommandError(f"{path}: refused, nothing imported: {exc}") from exc
        if not inputs:
            try:
                bundle = entities_fetch(
                    qids,
                    base_url=settings.TRACKER_WIKIDATA_URL,
                    ports=tuple(settings.TRACKER_FETCH_PORTS),
                )
            except WikidataShapeError as exc:
                raise CommandError(f"Refused, nothing imported: {exc}") from exc
            except FetchError as exc:
                raise CommandError(f"Could not fetch from Wikidata: {exc}") from exc
        only = set(qids) or None
        missing = sorted((only or set()) - set(bundle.items))
        if missing:
            raise CommandError(f"Not in the input: {', '.join(missing)}.")
        roots = [i for i in bundle.roots if only is None or i.qid in only]
        with tqdm(total=len(roots), unit="item", disable=options["no_progress"]) as bar:
            report = wikidata_import(
                bundle=bundle,
                retrieved_on=retrieved or dt.date.today(),
                only=only,
                progress=lambda item: bar.update(1),
            )
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
            return
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(
            self.style.SUCCESS(
                "Imported from Wikidata: "
                + "; ".join(
                    f"{name} {', '.join(f'{n} {k}' for k, n in sorted(counts.items()))}"
                    for name, counts in (
                        ("created", report.created),
                        ("updated", report.updated),
                        ("unchanged", report.unchanged),
                    )
                    if counts
                )
            )
        )

    def _read(self, path: str):
        try:
            return json.loads(Path(path).read_text("utf-8"))
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        except ValueError as exc:
            raise CommandError(f"{path} is not JSON: {exc}") from exc

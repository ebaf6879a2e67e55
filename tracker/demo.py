"""The demo data: every fact of the article the project started from
(../shared/seeds/000_fb1f1dfb62a14d4d.txt) that fits the model, each citing
the article. Loading is idempotent: a record is written only when it is
missing or differs, so a second run changes nothing, not even history.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils.timezone import now

from tracker import choices as c
from tracker.models import (
    AwardCategory,
    AwardMention,
    AwardOutcome,
    Campaign,
    CampaignMilestone,
    Citation,
    Credit,
    IndustryStatistic,
    Organization,
    Person,
    Policy,
    Production,
    Source,
    Statement,
)
from tracker.news.demo import demo_feeds_load
from tracker.services.archive import snapshot_ship

# A copy of shared/seeds/000_fb1f1dfb62a14d4d.txt, shipped so that a fresh
# clone has it.
SEED_ARTICLE_TEXT = Path(__file__).parent / "data" / "seed_article.txt"

ARTICLE = {
    "slug": "case-for-an-oscar-for-best-intimacy-coordinator",
    "title": "The Case for an Oscar for Best Intimacy Coordinator",
    # The seed text carries no address; the copyright line names its owner.
    "publisher": "MetaMedia Capital Inc.",
    "kind": c.SourceKind.ARTICLE,
    "notes": "The article the tracker started from "
    "(shared/seeds/000_fb1f1dfb62a14d4d.txt). Published in 2024: it calls "
    "Anora's Palme d'Or and the Best Casting announcement recent.",
}

ORGANIZATIONS = [
    ("hbo", "HBO", c.OrganizationKind.NETWORK, []),
    ("netflix", "Netflix", c.OrganizationKind.NETWORK, []),
    ("erika-lust-films", "Erika Lust Films", c.OrganizationKind.STUDIO, []),
    (
        "academy-of-motion-picture-arts-and-sciences",
        "Academy of Motion Picture Arts and Sciences",
        c.OrganizationKind.AWARD_BODY,
        ["The Academy", "AMPAS", "Oscars", "Academy Awards"],
    ),
    ("golden-globes", "Golden Globes", c.OrganizationKind.AWARD_BODY, []),
    (
        "television-academy",
        "Television Academy",
        c.OrganizationKind.AWARD_BODY,
        ["Emmys", "Emmy Awards"],
    ),
    (
        "bafta",
        "British Academy of Film and Television Arts",
        c.OrganizationKind.AWARD_BODY,
        ["BAFTA", "BAFTAs"],
    ),
    (
        "cannes-film-festival",
        "Cannes Film Festival",
        c.OrganizationKind.FESTIVAL,
        ["Cannes"],
    ),
    ("tribeca-film-festival", "Tribeca Film Festival", c.OrganizationKind.FESTIVAL, []),
    (
        "barcelona-international-erotic-film-festival",
        "Barcelona International Erotic Film Festival",
        c.OrganizationKind.FESTIVAL,
        [],
    ),
    ("feminist-porn-awards", "Feminist Porn Awards", c.OrganizationKind.AWARD_BODY, []),
    ("usc-annenberg", "USC Annenberg", c.OrganizationKind.RESEARCH, []),
    (
        "san-diego-state-university",
        "San Diego State University",
        c.OrganizationKind.RESEARCH,
        ["SDSU"],
    ),
    (
        "the-new-york-times-magazine",
        "The New York Times Magazine",
        c.OrganizationKind.PUBLISHER,
        [],
    ),
    (
        "the-hollywood-reporter",
        "The Hollywood Reporter",
        c.OrganizationKind.PUBLISHER,
        ["THR"],
    ),
]

PEOPLE = [
    ("erika-lust", "Erika Lust", ["Erika Hallqvist"], "Sex-positive filmmaker"),
    ("mam-smith", "Mam Smith", [], "Intimacy coordinator and stunt veteran"),
    ("ita-obrien", "Ita O'Brien", [], "Intimacy coordinator"),
    ("zendaya", "Zendaya", [], "Actor"),
    ("josh-oconnor", "Josh O'Connor", [], "Actor"),
    ("mike-faist", "Mike Faist", [], "Actor"),
    ("luca-guadagnino", "Luca Guadagnino", [], "Director"),
    ("sean-baker", "Sean Baker", [], "Director"),
    ("yorgos-lanthimos", "Yorgos Lanthimos", [], "Director"),
    ("emma-stone", "Emma Stone", [], "Actor"),
    ("michaela-coel", "Michaela Coel", [], "Writer, director and actor"),
    ("kate-winslet", "Kate Winslet", [], "Actor"),
    ("sean-bean", "Sean Bean", [], "Actor"),
    ("troian-bellisario", "Troian Bellisario", [], "Actor"),
    ("jorey-worb", "Jorey Worb", [], "Filmmaker"),
]

# slug, title, kind, start, end, network, studio, ic_status, evidence, note,
# the passage of the article that backs the IC claim
# fmt: off
PRODUCTIONS = [
    (
        "challengers", "Challengers", c.ProductionKind.FEATURE, 2024, None,
        None, None, c.ICStatus.USED, c.ICEvidence.PERFORMER_INTERVIEW,
        "Zendaya described having Mam Smith on set.",
        "Challengers frontwoman Zendaya spoke about how “incredible” it was "
        "to have intimacy coordinator Mam Smith on the set of the steamy "
        "tennis drama.",
    ),
    (
        "anora", "Anora", c.ProductionKind.FEATURE, 2024, None,
        None, None, c.ICStatus.UNKNOWN, "", "", "",
    ),
    (
        "game-of-thrones", "Game of Thrones", c.ProductionKind.SERIES, 2011, 2019,
        "hbo", None, c.ICStatus.NOT_USED, c.ICEvidence.PRESS_REPORT,
        "Made before HBO mandated ICs.",
        "HBO hit Game of Thrones, which dominated global television from "
        "2011-2019 and famously contained many a sex scene, did not have an "
        "intimacy coordinator.",
    ),
    (
        "poor-things", "Poor Things", c.ProductionKind.FEATURE, 2023, None,
        None, None, c.ICStatus.USED, c.ICEvidence.PRESS_REPORT,
        "The coordinator is not named in the article.",
        "Yorgos Lanthimos’ award-winning Poor Things, which saw Emma Stone’s "
        "character discover a joy for pleasure and venture into sex work, "
        "had an intimacy coordinator.",
    ),
    (
        "bridgerton", "Bridgerton", c.ProductionKind.SERIES, 2020, None,
        "netflix", None, c.ICStatus.USED, c.ICEvidence.PRESS_REPORT,
        "The coordinator is not named in the article.",
        "As does Netflix’s Bridgerton, which filters Julia Quinn’s "
        "regency-era stories through an erotically unrestrained lens.",
    ),
    (
        "i-may-destroy-you", "I May Destroy You", c.ProductionKind.MINI_SERIES,
        2020, 2020, None, None, c.ICStatus.USED, c.ICEvidence.STUDIO_STATEMENT,
        "Its creator thanked the coordinator from the BAFTA stage.",
        "In her BAFTA acceptance speech in 2021, she dedicated the best "
        "mini-series award to the intimacy coordinator, Ita O’Brien.",
    ),
    (
        "bite", "BITE", c.ProductionKind.SHORT, None, None,
        None, None, c.ICStatus.USED, c.ICEvidence.PRESS_REPORT,
        "Mam Smith advised; debuted at Tribeca.",
        "Smith was an advisor on Jorey Worb’s short film BITE, which debuted "
        "at the Tribeca Film Festival.",
    ),
    (
        "the-good-girl", "The Good Girl", c.ProductionKind.ADULT_INDIE, 2004, 2004,
        None, "erika-lust-films", c.ICStatus.UNKNOWN, "", "", "",
    ),
    (
        "five-hot-stories-for-her", "Five Hot Stories for Her",
        c.ProductionKind.ADULT_INDIE, None, None, None, "erika-lust-films",
        c.ICStatus.UNKNOWN, "", "", "",
    ),
]

# fmt: on

CREDITS = [
    ("mam-smith", "challengers", c.CreditRole.INTIMACY_COORDINATOR),
    ("zendaya", "challengers", c.CreditRole.PERFORMER),
    ("josh-oconnor", "challengers", c.CreditRole.PERFORMER),
    ("mike-faist", "challengers", c.CreditRole.PERFORMER),
    ("luca-guadagnino", "challengers", c.CreditRole.DIRECTOR),
    ("sean-baker", "anora", c.CreditRole.DIRECTOR),
    ("sean-bean", "game-of-thrones", c.CreditRole.PERFORMER),
    ("yorgos-lanthimos", "poor-things", c.CreditRole.DIRECTOR),
    ("emma-stone", "poor-things", c.CreditRole.PERFORMER),
    ("michaela-coel", "i-may-destroy-you", c.CreditRole.WRITER),
    ("ita-obrien", "i-may-destroy-you", c.CreditRole.INTIMACY_COORDINATOR),
    ("mam-smith", "bite", c.CreditRole.INTIMACY_CONSULTANT),
    ("jorey-worb", "bite", c.CreditRole.DIRECTOR),
    ("troian-bellisario", "bite", c.CreditRole.PERFORMER),
    ("erika-lust", "the-good-girl", c.CreditRole.DIRECTOR),
    ("erika-lust", "five-hot-stories-for-her", c.CreditRole.DIRECTOR),
]

COEL_DEDICATION = (
    "Thank you for your existence in our industry, for making the space safe, "
    "for creating physical, emotional and professional boundaries so that we "
    "can make work about exploitation, loss of respect, about abuse of power "
    "without being exploited or abused in the process. [...] Your direction "
    "was essential to my show and I believe essential for every production "
    "company that wants to make work exploring themes of consent."
)

YEAR = c.DatePrecision.YEAR


@dataclass
class Loaded:
    """What a load wrote, so the command can report it and tests can
    check idempotence."""

    created: int = 0
    updated: int = 0

    def count(self, created: bool, changed: bool) -> None:
        if created:
            self.created += 1
        elif changed:
            self.updated += 1


def _upsert(
    model: type[models.Model], lookup: dict, values: dict, loaded: Loaded
) -> Any:
    """get_or_create that saves an existing row only when a value differs."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        loaded.count(created=True, changed=True)
        return obj
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for key in changed:
            setattr(obj, key, values[key])
        obj.full_clean()
        obj.save()
    loaded.count(created=False, changed=bool(changed))
    return obj


def _set_m2m(manager, objects, loaded: Loaded) -> None:
    if set(manager.all()) != set(objects):
        manager.set(objects)
        loaded.updated += 1


def _cite(claim, source: Source, quote: str, loaded: Loaded) -> None:
    _upsert(
        Citation,
        {
            "source": source,
            "content_type": type(claim).content_type(),
            "object_id": claim.pk,
        },
        {"quote": quote, "stance": c.CitationStance.SUPPORTS},
        loaded,
    )


@transaction.atomic
def demo_data_load() -> Loaded:
    loaded = Loaded()
    article = _upsert(
        Source,
        {"slug": ARTICLE["slug"]},
        {k: v for k, v in ARTICLE.items() if k != "slug"},
        loaded,
    )

    def cite(claim, quote):
        _cite(claim, article, quote, loaded)

    orgs = {
        slug: _upsert(
            Organization,
            {"slug": slug},
            {"name": name, "kind": kind, "aliases": aliases},
            loaded,
        )
        for slug, name, kind, aliases in ORGANIZATIONS
    }
    people = {
        slug: _upsert(
            Person,
            {"slug": slug},
            {"name": name, "aliases": aliases, "description": description},
            loaded,
        )
        for slug, name, aliases, description in PEOPLE
    }

    productions = {}
    for (
        slug,
        title,
        kind,
        start,
        end,
        network,
        studio,
        status,
        evidence,
        note,
        passage,
    ) in PRODUCTIONS:
        production = _upsert(
            Production,
            {"slug": slug},
            {
                "title": title,
                "kind": kind,
                "start_year": start,
                "end_year": end,
                "network": orgs.get(network),
                "studio": orgs.get(studio),
                "ic_status": status,
                "ic_evidence": evidence,
                "ic_notes": note,
            },
            loaded,
        )
        if passage:
            cite(production, passage)
        productions[slug] = production

    for person, production, role in CREDITS:
        _upsert(
            Credit,
            {
                "person": people[person],
                "production": productions[production],
                "role": role,
            },
            {},
            loaded,
        )

    # Awards: the outcomes the article reports, and the categories they are in.
    def category(body, slug, name, status=c.AwardCategoryStatus.EXISTING, **extra):
        return _upsert(
            AwardCategory,
            {"slug": slug},
            {"award_body": orgs[body], "name": name, "status": status, **extra},
            loaded,
        )

    bafta_mini_series = category(
        "bafta",
        "bafta-mini-series",
        "Mini-Series",
        description="The article says Coel's dedication came with this award.",
    )
    palme_dor = category("cannes-film-festival", "palme-dor", "Palme d'Or")
    barcelona_award = category(
        "barcelona-international-erotic-film-festival",
        "barcelona-erotic-film-festival-award",
        "Festival award",
        description="The article does not name the prize.",
    )
    fpa_movie = category(
        "feminist-porn-awards",
        "feminist-porn-award-movie-of-the-year",
        "Movie of the Year",
    )
    best_casting = category(
        "academy-of-motion-picture-arts-and-sciences",
        "oscars-best-casting",
        "Best Casting",
        c.AwardCategoryStatus.INTRODUCED,
        year_introduced=2026,
        description="Added after years of lobbying: the campaign's precedent.",
    )
    cite(
        best_casting,
        "They just got casting included as a category [the Academy "
        "announced in February that best casting will be introduced from "
        "2026 onwards].",
    )
    proposed = {}
    for body, label in (
        ("academy-of-motion-picture-arts-and-sciences", "oscars"),
        ("golden-globes", "golden-globes"),
        ("television-academy", "emmys"),
    ):
        proposed[body] = category(
            body,
            f"{label}-best-intimacy-coordination",
            "Best Intimacy Coordination",
            c.AwardCategoryStatus.PROPOSED,
            is_intimacy_coordination=True,
        )
        cite(
            proposed[body],
            "One thing Lust would like to see is professional recognition "
            "for intimacy coordinators, including nominations at the Oscars, "
            "Golden Globes, and Emmys.",
        )

    def outcome(slug, cat, year, production, people_slugs, quote):
        obj = _upsert(
            AwardOutcome,
            {"slug": slug},
            {
                "category": cat,
                "ceremony_year": year,
                "production": productions[production],
                "result": c.AwardResult.WON,
            },
            loaded,
        )
        _set_m2m(obj.people, [people[p] for p in people_slugs], loaded)
        cite(obj, quote)
        return obj

    coel_bafta = outcome(
        "bafta-2021-mini-series-i-may-destroy-you",
        bafta_mini_series,
        2021,
        "i-may-destroy-you",
        ["michaela-coel"],
        "Coel won big for the show. In her BAFTA acceptance speech in 2021, "
        "she dedicated the best mini-series award to the intimacy "
        "coordinator, Ita O’Brien.",
    )
    outcome(
        "cannes-2024-palme-dor-anora",
        palme_dor,
        2024,
        "anora",
        ["sean-baker"],
        "Sean Baker’s Cannes Palme d’Or winner Anora",
    )
    outcome(
        "barcelona-erotic-film-festival-the-good-girl",
        barcelona_award,
        None,
        "the-good-girl",
        ["erika-lust"],
        "The Good Girl won an award at the Barcelona International Erotic "
        "Film Festival",
    )
    outcome(
        "feminist-porn-awards-five-hot-stories-for-her",
        fpa_movie,
        None,
        "five-hot-stories-for-her",
        ["erika-lust"],
        "Five Hot Stories for Her claimed several top industry prizes, "
        "including the Feminist Porn Award for movie of the year in Toronto.",
    )

    mention = _upsert(
        AwardMention,
        {"slug": "michaela-coel-dedication-ita-obrien-2021"},
        {
            "kind": c.AwardMentionKind.DEDICATION,
            "speaker": people["michaela-coel"],
            "coordinator": people["ita-obrien"],
            "award_body": orgs["bafta"],
            "outcome": coel_bafta,
            "production": productions["i-may-destroy-you"],
            "quote": COEL_DEDICATION,
            "date": dt.date(2021, 1, 1),
            "date_precision": YEAR,
        },
        loaded,
    )
    cite(
        mention,
        "In her BAFTA acceptance speech in 2021, she dedicated the "
        "best mini-series award to the intimacy coordinator, Ita O’Brien.",
    )
    for body, label in (
        ("academy-of-motion-picture-arts-and-sciences", "oscars"),
        ("golden-globes", "golden-globes"),
        ("television-academy", "emmys"),
    ):
        call = _upsert(
            AwardMention,
            {"slug": f"erika-lust-category-call-{label}-2024"},
            {
                "kind": c.AwardMentionKind.CATEGORY_CALL,
                "speaker": people["erika-lust"],
                "coordinator": None,
                "award_body": orgs[body],
                "outcome": None,
                "production": None,
                "quote": "I think it would be great [for intimacy "
                "coordinators] to get recognition.",
                "date": dt.date(2024, 1, 1),
                "date_precision": YEAR,
            },
            loaded,
        )
        cite(
            call,
            "One thing Lust would like to see is professional "
            "recognition for intimacy coordinators, including nominations "
            "at the Oscars, Golden Globes, and Emmys.",
        )

    # fmt: off
    statements = [
        ("zendaya-challengers-mam-smith", "zendaya", "challengers", "mam-smith",
         "It was important that we felt safe.", c.Stance.SUPPORTS, 2024, "",
         "Challengers frontwoman Zendaya spoke about how “incredible” it was "
         "to have intimacy coordinator Mam Smith on the set"),
        ("sean-bean-spoil-the-spontaneity", "sean-bean", None, None,
         "Intimacy coordinators spoil the spontaneity of a sex scene.",
         c.Stance.OPPOSES, 2022, "",
         "In 2022, when GOT season one star Sean Bean (Ned Stark) expressed "
         "the opinion that intimacy coordinators “spoil the spontaneity” of "
         "a sex scene, he faced swift backlash."),
        ("kate-winslet-someone-in-my-corner", "kate-winslet", None, None,
         "It would have been nice to have had someone in my corner because I "
         "always had to stand up for myself.", c.Stance.WISHES_HAD, 2024,
         "The New York Times Magazine",
         "Kate Winslet told The New York Times Magazine that she would have "
         "benefitted from an intimacy coordinator “every single time I had "
         "to do a love scene or be partially naked or even a kissing scene.”"),
        ("troian-bellisario-bite-positive-change", "troian-bellisario", "bite",
         None, "The introduction of intimacy coordinators has created such a "
         "positive change in the entertainment industry.", c.Stance.SUPPORTS,
         2024, "The Hollywood Reporter",
         "The project’s star, Troian Bellisario (Pretty Little Liars) told "
         "THR that the introduction of intimacy coordinators “has created "
         "such a positive change in the entertainment industry”"),
        ("erika-lust-huge-help", "erika-lust", None, None,
         "It’s also a huge help to have an intimacy coordinator because there "
         "will always be a certain power imbalance on a set.",
         c.Stance.SUPPORTS, 2024, "",
         "“It’s also a huge help to have an intimacy coordinator because "
         "there will always be a certain power imbalance on a set.”"),
        ("mam-smith-vital-across-the-board", "mam-smith", None, None,
         "You wouldn’t be allowed to do an intimate scene or hyper-exposed "
         "scene without a trained professional there to support the actors "
         "and the production.", c.Stance.SUPPORTS, 2024, "",
         "HBO has now mandated intimacy coordinators on all their sets — "
         "something Smith agrees is vital across the board"),
        ("jorey-worb-emotional-safety", "jorey-worb", "bite", None,
         "If you’re doing intimacy, [you need] to have an emotional support "
         "coordinator available for people, even just by a phone.",
         c.Stance.SUPPORTS, 2024, "",
         "“Emotional safety: it has to be thought out.”"),
        ("michaela-coel-essential", "michaela-coel", "i-may-destroy-you",
         "ita-obrien", "I know what it is like to shoot without an intimacy "
         "director. [...] Your direction was essential to my show.",
         c.Stance.SUPPORTS, 2021, "BAFTA acceptance speech",
         "“I know what it is like to shoot without an intimacy director.”"),
    ]
    # fmt: on
    for (
        slug,
        speaker,
        production,
        about,
        quote,
        stance,
        year,
        venue,
        passage,
    ) in statements:
        statement = _upsert(
            Statement,
            {"slug": slug},
            {
                "speaker": people[speaker],
                "production": productions.get(production),
                "about_coordinator": people.get(about),
                "quote": quote,
                "stance": stance,
                "venue": venue,
                "date": dt.date(year, 1, 1),
                "date_precision": YEAR,
            },
            loaded,
        )
        cite(statement, passage)

    policy = _upsert(
        Policy,
        {"slug": "hbo-intimacy-coordinators-on-all-sets"},
        {
            "organization": orgs["hbo"],
            "title": "Intimacy coordinators on all sets",
            "scope": "Every HBO production with intimate scenes.",
            "status": c.PolicyStatus.MANDATED,
            "effective_on": None,
        },
        loaded,
    )
    cite(policy, "HBO has now mandated intimacy coordinators on all their sets")

    study = "USC Annenberg and San Diego State University study"
    for slug, metric, value, wording in (
        (
            "films-directed-solely-by-men-2023",
            "Films directed solely by men",
            83,
            "83 percent of the 250 highest-grossing movies in 2023 were "
            "directed solely by men",
        ),
        (
            "films-with-ten-women-behind-the-scenes-2023",
            "Films employing at least 10 women in key behind-the-scenes roles",
            4,
            "just four percent employed at least 10 women in key "
            "behind-the-scenes roles",
        ),
    ):
        statistic = _upsert(
            IndustryStatistic,
            {"slug": slug},
            {
                "report": study,
                "metric": metric,
                "value": value,
                "unit": c.StatisticUnit.PERCENT,
                "sample": "the 250 highest-grossing movies of 2023",
                "year": 2023,
                "quoted_wording": wording,
            },
            loaded,
        )
        _set_m2m(
            statistic.publishers,
            [orgs["usc-annenberg"], orgs["san-diego-state-university"]],
            loaded,
        )
        cite(statistic, wording)

    for body, label, name in (
        (
            "academy-of-motion-picture-arts-and-sciences",
            "oscars",
            "An Oscar for intimacy coordination",
        ),
        ("golden-globes", "golden-globes", "A Golden Globe for intimacy coordination"),
        ("television-academy", "emmys", "An Emmy for intimacy coordination"),
    ):
        campaign = _upsert(
            Campaign,
            {"slug": f"{label}-intimacy-coordination"},
            {
                "name": name,
                "target_body": orgs[body],
                "proposed_category": proposed[body],
                "status": c.CampaignStatus.PROPOSED,
                "summary": "Erika Lust and Mam Smith call for professional "
                "recognition of intimacy coordinators. Smith expects it to "
                "take a while: the profession must standardize first.",
            },
            loaded,
        )
        _set_m2m(campaign.precedents, [best_casting], loaded)
        for title, date, precision, passage in (
            (
                "The Academy announces a Best Casting category from 2026",
                dt.date(2024, 2, 1),
                c.DatePrecision.MONTH,
                "the Academy announced in February that best casting will be "
                "introduced from 2026 onwards",
            ),
            (
                "Erika Lust and Mam Smith call for IC nominations",
                dt.date(2024, 1, 1),
                YEAR,
                "One thing Lust would like to see is professional recognition "
                "for intimacy coordinators, including nominations at the "
                "Oscars, Golden Globes, and Emmys.",
            ),
        ):
            milestone = _upsert(
                CampaignMilestone,
                {"campaign": campaign, "title": title},
                {"date": date, "date_precision": precision},
                loaded,
            )
            cite(milestone, passage)

    loaded.created += demo_feeds_load()
    # The article has no address to fetch: the text it was read from is
    # its archived copy, so its quotes are checked like any other.
    if snapshot_ship(
        source=article, text=SEED_ARTICLE_TEXT.read_text("utf-8"), shipped_at=now()
    ):
        loaded.created += 1
    return loaded

"""The matching rules, on the automaton alone (no database)."""

import pytest

from tracker.news.match import Entity, Matcher, fold_with_positions

ANORA = Entity("production", 1, "Anora", ("Anora",))
CHALLENGERS = Entity(
    "production",
    2,
    "Challengers",
    ("Challengers",),
    related=frozenset({("person", 12)}),
)
POOR_THINGS = Entity("production", 3, "Poor Things", ("Poor Things",))
COEL = Entity("person", 10, "Michaela Coel", ("Michaela Coel", "Coel"))
OBRIEN = Entity("person", 11, "Ita O'Brien", ("Ita O'Brien",))
ZENDAYA = Entity("person", 12, "Zendaya", ("Zendaya",))
NUNEZ = Entity("person", 13, "José Núñez", ("José Núñez",))
BAFTA = Entity(
    "organization",
    20,
    "British Academy of Film and Television Arts",
    ("British Academy of Film and Television Arts", "BAFTA"),
    is_award_body=True,
)
ACADEMY = Entity(
    "organization", 21, "AMPAS", ("AMPAS", "The Academy"), is_award_body=True
)
HBO = Entity("organization", 22, "HBO", ("HBO",))


@pytest.fixture(scope="module")
def matcher():
    return Matcher(
        [
            ANORA,
            CHALLENGERS,
            POOR_THINGS,
            COEL,
            OBRIEN,
            ZENDAYA,
            NUNEZ,
            BAFTA,
            ACADEMY,
            HBO,
        ]
    )


def found(result):
    return {(m.entity_type, m.entity_id) for m in result.matches}


def test_typographic_apostrophes_and_possessives_are_folded(matcher):
    result = matcher.match("Coel’s speech thanked Ita O’Brien")

    assert found(result) == {("person", 10), ("person", 11)}
    obrien = next(m for m in result.matches if m.entity_id == 11)
    assert obrien.alias == "Ita O'Brien"
    assert obrien.position == len("Coel’s speech thanked ")


def test_accents_and_case_are_folded(matcher):
    assert found(matcher.match("Jose Nunez joins the cast")) == {("person", 13)}
    assert found(matcher.match("JOSÉ NÚÑEZ JOINS")) == {("person", 13)}


def test_only_whole_words_match(matcher):
    result = matcher.match("An anorak and a cardigan: Anorak fashion film season")

    assert found(result) == set()


def test_a_lowercase_use_of_a_capitalised_name_does_not_count(matcher):
    assert found(matcher.match("the academy of poor things in film")) == set()
    assert found(matcher.match("The Academy names Poor Things")) == {
        ("organization", 21),
        ("production", 3),
    }


def test_an_acronym_must_be_in_capitals(matcher):
    assert found(matcher.match("Hbo and bafta, lowercase")) == set()
    assert found(matcher.match("HBO and BAFTA")) == {
        ("organization", 22),
        ("organization", 20),
    }


def test_a_one_word_title_alone_does_not_count(matcher):
    assert found(matcher.match("Challengers face a tough vote in the Senate")) == set()


def test_a_one_word_title_counts_with_a_credited_person(matcher):
    result = matcher.match("Zendaya returns to Challengers")

    assert found(result) == {("person", 12), ("production", 2)}
    challengers = next(m for m in result.matches if m.entity_id == 2)
    assert challengers.score < 1


def test_a_one_word_title_counts_with_screen_context(matcher):
    assert found(matcher.match("Anora tops the box office")) == {("production", 1)}


def test_a_title_match_scores_higher_than_a_summary_match(matcher):
    in_title = matcher.match("Michaela Coel speaks", "").matches[0]
    in_summary = matcher.match("An interview", "<p>Michaela Coel speaks</p>").matches[0]

    assert in_title.field == "title" and in_summary.field == "summary"
    assert in_title.score > in_summary.score


def test_summary_markup_is_ignored_when_matching(matcher):
    result = matcher.match("News", "<p>Ita <b>O&#8217;Brien</b> spoke</p>")

    assert found(result) == {("person", 11)}


def test_intimacy_terms_flag_the_article(matcher):
    for text in (
        "An intimacy coordinator on set",
        "Intimacy Directors International",
        "the intimacy-consultant said",
        "Hiring intimacy coordination",
    ):
        assert matcher.match(text).ic_related, text
    assert not matcher.match("Intimacy is the theme of the film").ic_related


def test_an_award_body_with_an_intimacy_term_is_a_likely_award_mention(matcher):
    result = matcher.match(
        "Michaela Coel’s BAFTA speech thanked intimacy coordinator Ita O’Brien"
    )

    assert result.ic_related and result.award_mention
    assert found(result) == {("person", 10), ("person", 11), ("organization", 20)}


def test_a_ceremony_word_with_an_intimacy_term_is_a_likely_award_mention(matcher):
    assert matcher.match(
        "Should the Oscars honour the intimacy coordinator?"
    ).award_mention


def test_an_award_without_an_intimacy_term_is_no_award_mention(matcher):
    result = matcher.match("BAFTA nominations announced for the Oscars race")

    assert not result.ic_related and not result.award_mention


def test_folding_keeps_the_position_of_every_original_character():
    folded, index = fold_with_positions("Ñú  O’Brien")

    assert folded == "nu o'brien"
    assert [index[i] for i in (0, 1, 2, 3)] == [0, 1, 2, 4]


def test_an_empty_matcher_matches_nothing():
    assert Matcher([]).match("Anything at all").matches == []

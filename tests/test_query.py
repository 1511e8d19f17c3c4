"""The query language: every input parses, what it can't read becomes words and a notice."""
from search import settings
from search.query.syntax import All, Any, Not, Phrase, Prefix, Words, clean, parse, ranked


def test_words_run_together():
    assert parse("Deir ez-Zor frappes").node == Words(("Deir", "ez-Zor", "frappes"))


def test_quotes_make_a_phrase():
    assert parse('"Abou Kamal" frappes').node == All((Phrase("Abou Kamal"), Words(("frappes",))))


def test_or_and_not():
    assert parse("Hama OR Homs").node == Any((Words(("Hama",)), Words(("Homs",))))
    assert parse("Hezbollah -Hamas").node == All((Words(("Hezbollah",)), Not(Words(("Hamas",)))))
    assert parse("Hezbollah NOT Hamas").node == parse("Hezbollah -Hamas").node


def test_prefix_needs_three_letters():
    assert parse("frapp*").node == Prefix("frapp")
    short = parse("fr*")
    assert short.node == Words(("fr",)) and short.notices


def test_leading_and_inner_wildcards_are_refused():
    for q in ("*kamal", "ka*mal", "?amas", "*"):
        parsed = parse(q)
        assert parsed.notices, q
        assert not isinstance(parsed.node, Prefix)


def test_unbalanced_quote_is_plain_words_with_notice():
    parsed = parse('"Abou Kamal')
    assert parsed.node == Words(("Abou", "Kamal"))
    assert "Guillemet" in parsed.notices[0]


def test_whoosh_breaking_syntax_is_plain_words():
    for q in ("NOT OR foobar", "date:[oct 1970 to dec 8 19z70]", "date:[15/01/2024 to 31/03/2024]",
              '"wild* card?"', "(((", "OR", "AND", "NOT", "-", "title:x^2~"):
        parse(q)  # never raises
    assert parse("NOT OR foobar").node == Words(("foobar",))
    assert parse("date:[15/01/2024 to 31/03/2024]").notices


def test_a_query_of_exclusions_only_stays_an_exclusion():
    parsed = parse("-Hamas")
    assert parsed.node == Not(Words(("Hamas",))) and not parsed.notices
    assert parse("NOT Hamas -Fatah").node == All((Not(Words(("Hamas",))), Not(Words(("Fatah",)))))


def test_long_query_is_cut_with_notice():
    parsed = parse("mot " * 5000)
    assert len(parsed.text) <= settings.get("max_query_chars")
    assert parsed.notices
    assert len(parsed.node.words) == settings.get("max_query_words")


def test_invisible_characters_are_removed():
    assert clean("Ha\x00ma\u200f \u202eHoms\x07") == "Hama Homs"
    assert clean("می\u200cخواهم") == "می\u200cخواهم"  # ZWNJ is part of Persian spelling


def test_empty_and_blank_queries():
    assert parse("").node is None
    assert parse("   \t ").node is None
    assert parse('""').node is None


def test_exclusions_alone_stay_exclusions():
    assert parse("-Alep").node == Not(Words(("Alep",))) and not parse("-Alep").notices
    assert parse("NOT Alep -Homs").node == All((Not(Words(("Alep",))), Not(Words(("Homs",)))))
    assert not ranked(parse("-Alep").node) and not ranked(None)
    assert ranked(parse("Hezbollah -Hamas").node) and ranked(parse("-Alep OR Homs").node)

"""Tokenising, stopwords, stemming and abbreviation expansion."""

from __future__ import annotations

import pytest

from embeddings.text import (
    STOPWORDS,
    StemFamilies,
    american,
    content_words,
    expand,
    related_stems,
    stem,
    terms,
    words,
)


def test_specs_expands_to_include_the_stem_of_specifications():
    found = terms("specs")

    assert stem("specifications") in found
    assert stem("specs") in found


def test_general_abbreviations_expand_to_all_their_long_forms():
    assert expand(["tech"]) == ["tech", "technical", "technology"]
    assert expand(["ux"]) == ["ux", "user", "experience"]


def test_knowledge_specific_abbreviations_come_from_the_extra_table():
    extra = {"sre": ("site reliability engineer",)}

    assert expand(["sre", "skills"], extra) == ["sre", "site", "reliability", "engineer", "skills"]
    assert terms("What does an SRE do?", extra) == [
        stem(w) for w in ("sre", "site", "reliability", "engineer")
    ]


def test_stopwords_are_dropped():
    assert terms("What does the PM do all day?") == ["pm", "day"]
    assert terms("Who is it?") == []
    assert {"what", "does", "the", "who", "is"} <= STOPWORDS


def test_digits_are_dropped_from_content_words():
    assert content_words("Top 10 skills for 2024") == ["top", "skills"]


def test_stemming_joins_inflections():
    assert stem("roadmaps") == stem("roadmap")
    assert stem("Managing".lower()) == stem("manage")
    assert set(terms("Managing stakeholders")) == set(terms("manage stakeholder"))


def test_words_lowercases_and_keeps_apostrophes_including_curly_ones():
    assert words("The PM’s ROADMAP, isn't it?") == ["the", "pm's", "roadmap", "isn't", "it"]


def test_text_without_words_has_no_terms():
    assert terms("") == []
    assert terms("?!… —— <!channel>") == ["channel"]


@pytest.mark.parametrize(
    ("word", "section_kind"),
    [
        ("duties", "responsibilities"),
        ("attention", "focus"),
        ("concerned", "focus"),
        ("concerns", "focus"),
        ("accountable", "responsible"),
        ("qualifications", "skills"),
    ],
)
def test_words_for_a_kind_of_section_also_match_its_heading(word, section_kind):
    assert stem(section_kind) in terms(f"the main {word} of a PM")


def test_vs_and_versus_are_how_a_comparison_is_asked_not_what_it_is_about():
    assert content_words("tpm vs pm versus po") == ["tpm", "pm", "po"]


def test_stopwords_typed_the_chat_way_are_still_stopwords():
    assert content_words("whats a tpm, wat do u own, dont they") == ["tpm"]
    assert content_words("hows that work, whos on it") == ["work"]


def test_chat_fillers_and_contractions_set_a_tone_not_a_subject():
    assert content_words("tbh when is a tpm actually worth it?") == ["tpm", "worth"]
    assert content_words("I've got a quick q: pm n tpm, overlap or nah") == [
        "q",
        "pm",
        "tpm",
        "overlap",
    ]


@pytest.mark.parametrize(
    ("word", "plain"),
    [("mgr", "manager"), ("mgmt", "management"), ("chops", "skills"), ("hook", "responsible")],
)
def test_chat_abbreviations_and_idioms_expand_to_the_plain_word(word, plain):
    assert expand([word]) == [word, plain]


def test_possessives_are_their_noun_and_prepositions_are_stopwords():
    assert content_words("what does a PM's day revolve around? the company’s goals") == [
        "pm",
        "day",
        "revolve",
        "company",
        "goals",
    ]


def test_stem_families_find_what_scanning_every_stem_finds_in_the_same_order():
    from knowledge import load_shipped_guide

    guide = load_shipped_guide()
    stems = {stem(w) for p in guide.passages for w in content_words(p.text)}
    families = StemFamilies(stems)
    asked = stems | {stem(w) for w in ("scalability", "feasible", "intern", "roadmapping", "pm")}
    assert any(related_stems(term, stems) for term in asked)
    for term in asked:
        assert families.related(term) == related_stems(term, stems)


@pytest.mark.parametrize(
    ("british", "us"),
    [
        ("behavioural", "behavioral"),
        ("organisation", "organization"),
        ("prioritised", "prioritized"),
        ("analyse", "analyze"),
        ("centre", "center"),
        ("catalogue", "catalog"),
        ("labelling", "labeling"),
        ("licence", "license"),
        ("judgement", "judgment"),
        ("programmes", "programs"),
    ],
)
def test_a_british_spelling_shares_the_american_spellings_stem(british, us):
    assert stem(british) == stem(us)


@pytest.mark.parametrize("word", ["your", "hour", "four", "noise", "raise", "spelled", "rise"])
def test_short_words_that_look_british_are_left_as_they_are(word):
    assert american(word) == word


def test_a_british_question_matches_an_american_heading_by_its_terms():
    assert set(terms("the behavioural part")) & set(terms("Behavioral Competencies"))


def test_how_many_asks_for_a_count_and_matches_no_passage_by_its_many():
    assert terms("how many days off do we get") == terms("days off do we get")


def test_chat_short_forms_of_everyday_words_are_written_out() -> None:
    from embeddings.text import spell_out_chat

    assert spell_out_chat("how many hrs a week do ppl spend?") == (
        "how many hours a week do people spend?"
    )
    assert spell_out_chat("a raise w/o a promotion in 2 Yrs") == (
        "a raise without a promotion in 2 years"
    )
    # only whole words: "hrs" inside a word, a path or an HR question stays as it is
    assert spell_out_chat("talk to hr about shrs in src/wks") == "talk to hr about shrs in src/wks"

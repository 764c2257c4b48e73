from __future__ import annotations

from support.fakes import FakeEncoder

from embeddings.vocabulary import Vocabulary

TEXTS = [
    "A TPM contributes to the technical roadmap and runs market research.",
    "Scalability and feasibility studies are part of the work.",
]


def vocabulary() -> Vocabulary:
    return Vocabulary(FakeEncoder(), TEXTS, ignore={"product", "manager"})


def test_words_the_knowledge_uses_are_known_by_stem_and_word_family() -> None:
    vocab = vocabulary()
    assert vocab.knows("roadmaps") and vocab.knows("researching")
    assert vocab.knows("scale")  # scalability's family
    assert vocab.knows("feasible")
    assert vocab.unknown(["salary", "roadmap", "earn"]) == ["salary", "earn"]


def test_misspellings_are_corrected_to_the_knowledges_own_words() -> None:
    vocab = vocabulary()
    assert vocab.correct("who does market reserach?") == "who does market research?"
    assert vocab.correct("waht is a tecnical product manger") == (
        "what is a technical product manager"
    )


def test_a_misspelling_in_a_known_word_family_is_still_corrected() -> None:
    vocab = vocabulary()
    assert vocab.knows("feasibilty")  # by word family, so BM25 finds it either way
    assert vocab.correct("who runs the feasibilty studies") == ("who runs the feasibility studies")
    assert vocab.correct("is it feasible to scale?") == "is it feasible to scale?"


def test_short_words_are_not_bent_onto_stopwords_or_neighbours() -> None:
    vocab = vocabulary()
    assert not vocab.knows("hours")  # one letter from "ours", still not a known word
    assert vocab.correct("how many hours") == "how many hours"


def test_real_words_are_never_bent_onto_the_knowledges_words(encoder) -> None:
    vocab = Vocabulary(encoder, [*TEXTS, "The details of every design."])
    assert vocab.correct("who deals with design?") == "who deals with design?"
    assert vocab.correct("who does market reserach?") == "who does market research?"
    assert "deals" in vocab.unknown(["deals", "details"])


def test_an_inflection_of_a_real_word_is_no_misspelling(encoder) -> None:
    vocab = Vocabulary(encoder, ["Each competency is worked on by the team."])
    assert vocab.correct("the competency is worded badly") == "the competency is worded badly"
    assert vocab.correct("the competency is wroked on") == "the competency is worked on"

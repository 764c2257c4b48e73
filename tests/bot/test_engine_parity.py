"""The engine on onnxruntime gives the answers it gives on sentence-transformers (the
reference): the same outcome and the same top-1 section for labelled questions of the shipped
guide and the seed article. `make bench` (parity) runs every labelled question; this test runs
every shared dev question and every 8th of the project's sets."""

from __future__ import annotations

import pytest
from support.labelled import SHARED_DEV, questions

from bot.engine import Engine
from bot.types import Answer

EVERY = 8


def top_section(answer: Answer) -> tuple[str, ...] | None:
    top = answer.best or (answer.alternatives[0] if answer.alternatives else None)
    return top.citation.section_path if top else None


@pytest.fixture(scope="module")
def onnx_engines(onnx_encoder, seed_article, tmp_path_factory):
    from knowledge import load_knowledge, load_shipped_guide

    cache = tmp_path_factory.mktemp("parity-cache")
    return {
        "guide": Engine(load_shipped_guide(), onnx_encoder, cache_dir=cache),
        "article": Engine(load_knowledge([seed_article]), onnx_encoder, cache_dir=cache),
    }


def sample(corpus: str) -> list[str]:
    every = questions(corpus)
    dev = set(questions("article")[-30:]) if corpus == "article" and SHARED_DEV.exists() else set()
    return [q for i, q in enumerate(every) if i % EVERY == 0 or q in dev]


@pytest.fixture
def one_torch_thread():
    """torch's 2-thread pool is ~10x slower than 1 thread on this busy 2-core machine (460 vs
    36 ms an answer): 1 thread while these tests run, restored after."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.mark.usefixtures("one_torch_thread")
@pytest.mark.parametrize("corpus", ["guide", "article"])
def test_onnx_answers_as_the_reference_does(corpus, engine, seed_engine, onnx_engines):
    reference = {"guide": engine, "article": seed_engine}[corpus]
    lean = onnx_engines[corpus]
    asked = sample(corpus)
    assert len(asked) > 100

    differ = []
    for question in asked:
        want, got = reference.answer(question), lean.answer(question)
        if (want.outcome, top_section(want)) != (got.outcome, top_section(got)):
            differ.append(
                (question, want.outcome, top_section(want), got.outcome, top_section(got))
            )

    assert not differ, f"{len(differ)} of {len(asked)} differ: {differ[:5]}"

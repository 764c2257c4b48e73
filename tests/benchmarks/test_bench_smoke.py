"""The benchmark code's pure-Python pieces on tiny sizes, so it cannot rot. No timing
assertions: speed is judged by `make bench`, never by unit tests."""

from __future__ import annotations

import io
import json
import time
import urllib.request
from pathlib import Path

import numpy as np
from rich.console import Console
from slack_sdk.signature import SignatureVerifier

from benchmarks.__main__ import BENCHMARKS, parse_args
from benchmarks.common import children, percentile, proc_status
from benchmarks.corpus import write_corpus
from benchmarks.questions import OFF_TOPIC, build_questions, read_jsonl_questions
from benchmarks.report import Row, render, to_json, unavailable
from benchmarks.search_scale import unit_vectors
from benchmarks.serve_load import build_requests
from benchmarks.slack_requests import (
    app_mention,
    as_retry,
    count_deliveries,
    signed_headers,
    slash_command,
)
from tests.support.slack_api import BOT_USER_ID, SlackStandIn


def test_corpus_loads_as_role_documents(tmp_path: Path) -> None:
    from knowledge import load_knowledge

    stats = write_corpus(tmp_path, 60, sections_per_document=2, paragraphs_per_section=5)
    knowledge = load_knowledge([tmp_path])
    assert stats.passages >= 60
    assert len(knowledge.passages) == stats.passages
    assert len(knowledge.roles) == stats.documents
    assert len({p.text for p in knowledge.passages}) > 0.9 * len(knowledge.passages)


def test_questions_reach_the_minimum_without_eval_files(tmp_path: Path) -> None:
    questions = build_questions(["Role", "Skills"], ["PM"], minimum=40)
    assert len(questions) == len(set(questions)) >= 40
    assert set(OFF_TOPIC) <= set(questions)
    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "a?"}\n\n{"question": "b?", "expect": "abstain"}\n')
    assert read_jsonl_questions([path, tmp_path / "missing.jsonl"]) == ["a?", "b?"]


def test_percentile_matches_numpy() -> None:
    values = [5.0, 1.0, 9.0, 3.0, 7.0, 2.0]
    for p in (0, 50, 95, 99, 100):
        assert percentile(values, p) == float(np.percentile(values, p))


def test_report_renders_rows_and_json() -> None:
    rows = [
        Row("latency", "engine p50", 12.0, "ms", "bare p50", 10.0, "≤ 1.5× baseline", True),
        Row("memory", "worker", 500.0, "MB", "bare", 450.0),
        unavailable("http load", "ack p99", "ms", "serve did not start"),
    ]
    out = io.StringIO()
    render(rows, Console(file=out, width=200), "smoke")
    text = out.getvalue()
    assert "PASS" in text and "1.20×" in text and "unavailable" in text
    data = json.loads(to_json(rows, {"cpus": 2}))
    assert [r["status"] for r in data["rows"]] == ["PASS", "—", "unavailable"]


def test_unit_vectors_are_unit_length() -> None:
    from embeddings.index import VectorIndex

    vectors = unit_vectors(300, 16)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    top = VectorIndex(vectors).top_k(vectors[7], 3)
    assert top[0][0] == 7


def test_signed_requests_verify() -> None:
    verifier = SignatureVerifier("s3cret")
    for request in (
        slash_command(1, "what is a pm", "http://127.0.0.1:9/r/1"),
        app_mention(2, "x"),
    ):
        headers = signed_headers("s3cret", request)
        assert verifier.is_valid(
            body=request.body,
            timestamp=headers["X-Slack-Request-Timestamp"],
            signature=headers["X-Slack-Signature"],
        )
    retry = signed_headers("s3cret", as_retry(app_mention(3, "x")))
    assert retry["X-Slack-Retry-Num"] == "1"


def test_standin_records_and_deliveries_are_counted() -> None:
    standin = SlackStandIn().start()
    try:
        requests, threads, channels = build_requests(["q1", "q2", "q3"], 40, standin)
        assert len(requests) == 40
        assert sum(r.kind == "retry" for r in requests) == 2
        for request in requests:  # every retry comes after its original
            if request.kind == "retry":
                keys = [r.key for r in requests]
                assert keys.index(request.key) < len(keys) - 1 - keys[::-1].index(request.key)
        auth = _post(standin.api_url + "auth.test", {})
        assert auth["user_id"] == BOT_USER_ID
        first_event, first_thread = next(iter(threads.items()))
        _post(
            standin.api_url + "chat.postMessage", {"channel": "CBENCH", "thread_ts": first_thread}
        )
        _post(
            standin.api_url + "chat.postMessage", {"channel": "CBENCH", "thread_ts": first_thread}
        )
        first_command = next(iter(channels))
        _post(standin.response_url(first_command), {"text": "Sorry — something went wrong"})
        deadline = time.monotonic() + 5
        while len(standin.find("response")) < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        counted = count_deliveries(standin.snapshot(), threads, channels)
        assert counted.expected == len(threads) + len(channels)
        assert counted.duplicated == 1 and counted.exactly_once == 1 and counted.errors == 1
        assert counted.missing == counted.expected - 2
        assert first_event in threads
    finally:
        standin.stop()


def test_proc_readings_and_cli() -> None:
    assert proc_status()["VmHWM"] > 0
    assert isinstance(children(1), list)
    args = parse_args(["--quick", "--json", "--only", "latency", "serve"])
    assert args.quick and args.json and args.only == ["latency", "serve"]
    assert set(BENCHMARKS) == {
        "latency",
        "cold-start",
        "index-build",
        "search-scale",
        "serve",
        "runtime",
    }


def _post(url: str, payload: dict) -> dict:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never a proxy
    with opener.open(request, timeout=5) as response:
        return json.loads(response.read())


def test_runtime_slug_size_counts_a_gzip_tar_and_leaves_out_the_skipped_packages(
    tmp_path: Path,
) -> None:
    from benchmarks.runtime import compressed_mb

    packages = tmp_path / "lib" / "python3" / "site-packages"
    for name in ("torch", "torch-2.13.0.dist-info", "numpy"):
        (packages / name).mkdir(parents=True)
        (packages / name / "blob.bin").write_bytes(np.random.default_rng(1).bytes(200_000))
    whole = compressed_mb(tmp_path)
    lean = compressed_mb(tmp_path, ("torch",))
    assert 0.6 < whole < 0.7 and 0.2 < lean < 0.25  # random bytes don't compress


def test_runtime_reads_every_labelled_question_of_a_corpus() -> None:
    from benchmarks.runtime import labelled

    guide = labelled("guide")
    assert len(guide) > 100 and len(set(guide)) == len(guide)

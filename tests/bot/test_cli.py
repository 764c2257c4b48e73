"""The real `rolebot` command line, run as a subprocess.

Each model-loading run costs several seconds, so the module shares one data dir (the index
cache is encoded once), makes every model-loading run once in the `runs` fixture (9 runs, 8 of
them side by side) and groups its assertions; the 4 failing runs stop before the model loads.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.paths import DEV_QUESTIONS, SEED_ARTICLE

pytestmark = pytest.mark.slow

ROLEBOT = Path(sys.executable).parent / "rolebot"
ROADMAP = "Who owns the technical roadmap?"
SKILLS = "Which skills matter most for a PM?"
# Five questions reach the abstention model; the last two are declined by rules before it.
CALIBRATION = [
    {"question": ROADMAP, "sections": ["Focus"]},
    {"question": SKILLS, "sections": ["Skills"]},
    {"question": "What does a TPM focus on?", "sections": ["Focus"]},
    {"question": "Who won the cup final last night?", "expect": "abstain"},
    {"question": "Recommend a good movie", "expect": "abstain"},
    {"question": "What does a scrum master do?", "expect": "abstain", "kind": "not_covered"},
    {
        "question": "How many engineers does a TPM support?",
        "expect": "abstain",
        "kind": "not_covered",
    },
]
ANSWER_KEYS = {
    "question",
    "answered",
    "answer",
    "section",
    "section_path",
    "source",
    "score",
    "alternatives",
}


@pytest.fixture(scope="module")
def shared_paths() -> tuple[Path, Path]:
    """(SEED_ARTICLE, DEV_QUESTIONS): the files shipped beside the repository in ../shared."""
    return SEED_ARTICLE, DEV_QUESTIONS


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ROLEBOT_", "SLACK_"))}
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        TOKENIZERS_PARALLELISM="false",
        ROLEBOT_DATA_DIR=str(data_dir),
        COLUMNS="200",
    )
    return env


@dataclass(frozen=True)
class Cli:
    workdir: Path
    data_dir: Path

    def run(
        self, *args: str, stdin: str = "", env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(ROLEBOT), *args],
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**_env(self.data_dir), **(env or {})},
            cwd=self.workdir,
            timeout=300,
            check=False,
        )


@pytest.fixture(scope="module")
def cli(tmp_path_factory) -> Cli:
    workdir = tmp_path_factory.mktemp("cli")
    return Cli(workdir=workdir, data_dir=workdir / "data")


@pytest.fixture(scope="module")
def runs(cli, shared_paths) -> dict[str, subprocess.CompletedProcess[str]]:
    """Every model-loading run of the module, keyed by name.

    Loading torch and the model dominates each run, so after a first `index` (which fills the
    shared cache) the rest run side by side, one per CPU.
    """
    seed, dev_questions = shared_paths
    too_long = ("Who owns the roadmap " * 200)[:2500]
    labelled = cli.workdir / "calibration.jsonl"
    labelled.write_text("".join(json.dumps(line) + "\n" for line in CALIBRATION), encoding="utf-8")
    answerable_only = cli.workdir / "answerable.jsonl"
    answerable_only.write_text(
        "".join(json.dumps(line) + "\n" for line in CALIBRATION if "sections" in line),
        encoding="utf-8",
    )

    def tune_into(name: str, questions: Path) -> tuple[str, ...]:
        """`rolebot tune` writing NAME.npz (the adapter, on the guide) and NAME.json (the
        model, on the guide and the seed article)."""
        out = cli.workdir / name
        also = ("--also", f"{seed}={questions}")
        return ("tune", "--out", f"{out}.npz", "--model-out", f"{out}.json", *also, str(questions))

    commands: dict[str, tuple[tuple[str, ...], str]] = {
        "eval": (("eval", "--json", str(dev_questions), "--knowledge", str(seed)), ""),
        "chat": (("chat",), f"{ROADMAP}\nquit\n"),
        "ask_seed": (("ask", "--json", ROADMAP, "--knowledge", str(seed)), ""),
        "ask_shipped": (("ask", "--json", ROADMAP), ""),
        "batch": (("ask", "--json"), f"{ROADMAP}\n\n{too_long}\n{SKILLS}\n"),
        "index_again": (("index",), ""),
        "calibrate": (("calibrate", "--out", str(cli.workdir / "model.json"), str(labelled)), ""),
        "tune_answerable_only": (tune_into("unused", answerable_only), ""),
        "tune": (tune_into("tuned", labelled), ""),
    }
    results = {"index": cli.run("index")}
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = {
            name: pool.submit(cli.run, *args, stdin=stdin)
            for name, (args, stdin) in commands.items()
        }
        results.update({name: future.result() for name, future in futures.items()})
    return results


def assert_clean_exit(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def assert_answer_contract(record: dict) -> None:
    assert record.keys() >= ANSWER_KEYS, record.keys()
    assert isinstance(record["answered"], bool)
    assert isinstance(record["alternatives"], list)
    assert isinstance(record["section_path"], list)
    for alternative in record["alternatives"]:
        assert alternative.keys() >= {"section", "section_path", "source", "score"}
        assert isinstance(alternative["section_path"], list)
        assert alternative["section_path"][0] == alternative["source"]
        assert isinstance(alternative["score"], int | float)
    if record["answered"]:
        assert isinstance(record["answer"], str) and record["answer"]
        assert isinstance(record["section"], str) and record["section"]
        assert isinstance(record["source"], str) and record["source"]
        assert record["section_path"][0] == record["source"]
        assert record["section_path"][-1] == record["section"]
        assert isinstance(record["score"], int | float)


# -- index ---------------------------------------------------------------------------------------


def test_index_prints_the_passage_count_and_a_second_run_loads_from_cache(cli, runs):
    from knowledge.shipped import load_shipped_guide

    passages = len(load_shipped_guide().passages)
    first, second = runs["index"], runs["index_again"]

    for result in (first, second):
        assert_clean_exit(result)
        assert result.stdout.startswith(f"{passages} passages ")
    assert "encoded" in first.stdout and "from cache" not in first.stdout
    assert "from cache" in second.stdout
    assert list((cli.data_dir / "cache").glob("*.npy"))


# -- ask ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ask_shipped", "ask_seed"])
def test_ask_json_prints_one_answer_object_citing_a_tpm_roadmap_passage(runs, name):
    result = runs[name]

    assert_clean_exit(result)
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    record = json.loads(lines[0])
    assert_answer_contract(record)
    assert record["question"] == ROADMAP
    assert record["answered"] is True
    assert "roadmap" in record["answer"].lower()
    assert 1 <= len(record["alternatives"]) <= 3


def test_ask_json_batch_answers_each_stdin_line_in_order_and_survives_bad_lines(runs):
    # stdin: a good question, an empty line, a 2,500-character line, another good question.
    result = runs["batch"]

    assert_clean_exit(result)
    lines = result.stdout.splitlines()
    assert len(lines) == 4, result.stdout
    good, empty, oversized, last = (json.loads(line) for line in lines)
    for record in (good, last):
        assert_answer_contract(record)
        assert "error" not in record
    assert good["question"] == ROADMAP and good["answered"] is True
    assert last["question"] == SKILLS
    for record in (empty, oversized):
        assert record["answered"] is False
        assert isinstance(record["error"], str) and record["error"]
    assert "2,000" in oversized["error"] or "2000" in oversized["error"]


def test_ask_with_a_missing_or_empty_knowledge_file_exits_2_naming_it(cli):
    empty = cli.workdir / "empty.md"
    empty.write_text("", encoding="utf-8")

    for path in ("/nonexistent", str(empty)):
        result = cli.run("ask", "--knowledge", path, ROADMAP)

        assert result.returncode == 2, (path, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert path in result.stderr
        assert result.stdout == ""


# -- eval --------------------------------------------------------------------------------------


def test_eval_json_on_the_dev_questions_with_the_seed_prints_rates_between_0_and_1(runs):
    result = runs["eval"]

    assert_clean_exit(result)
    scores = json.loads(result.stdout)
    for key in ("top1_section", "top3_section", "declined_rate"):
        assert isinstance(scores[key], int | float), (key, scores)
        assert 0.0 <= scores[key] <= 1.0


def test_eval_on_a_malformed_file_exits_2_naming_the_line(cli):
    questions = cli.workdir / "broken.jsonl"
    questions.write_text(
        json.dumps({"question": ROADMAP, "sections": ["Focus"]}) + "\n{not json\n",
        encoding="utf-8",
    )

    result = cli.run("eval", str(questions))

    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{questions}:2" in result.stderr


# -- calibrate ---------------------------------------------------------------------------------


def test_calibrate_fits_a_loadable_model_on_the_questions_no_rule_declines(cli, runs):
    from bot.abstain import AbstentionModel

    result = runs["calibrate"]

    assert_clean_exit(result)
    assert "(5 questions)" in result.stdout, result.stdout
    model = AbstentionModel.load(cli.workdir / "model.json")
    assert model.fitted_on.endswith("calibration.jsonl")
    assert 0.0 < model.threshold < 1.0


def test_fitted_files_name_each_set_after_its_knowledge_when_it_has_one():
    from bot.cli.app import set_name

    assert set_name("eval/guide/train.jsonl") == "guide/train.jsonl"
    assert set_name("../seed/article.txt=eval/vague.jsonl") == "article.txt=eval/vague.jsonl"


# -- tune ----------------------------------------------------------------------------------------


def test_tune_writes_an_adapter_serving_its_knowledge_and_a_model_on_every_set(cli, runs):
    from bot.abstain import AbstentionModel
    from bot.settings import BUNDLED_MODEL
    from embeddings.adapter import QueryAdapter

    result = runs["tune"]

    assert_clean_exit(result)
    assert "3 questions" in result.stdout, result.stdout  # the three answerable lines
    assert "serving 1 knowledge base(s)" in result.stdout
    # The model: the five lines no rule declines, on the guide and again on the seed article.
    assert "(10 questions)" in result.stdout
    adapter = QueryAdapter.load(cli.workdir / "tuned.npz")
    assert (adapter.model, adapter.dimension, adapter.rank) == (BUNDLED_MODEL, 384, 16)
    assert adapter.fitted_on.endswith("calibration.jsonl")
    assert len(adapter.knowledge) == 1  # the shipped guide only, not the --also article
    model = AbstentionModel.load(cli.workdir / "tuned.json")
    assert "pm-vs-tpm-article.txt=" in model.fitted_on
    assert 0.0 < model.threshold < 1.0


def test_tune_without_questions_to_decline_fails_and_writes_nothing(cli, runs):
    result = runs["tune_answerable_only"]

    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "both answerable and unanswerable" in result.stderr
    assert not (cli.workdir / "unused.npz").exists()
    assert not (cli.workdir / "unused.json").exists()


def test_a_query_adapter_setting_naming_a_broken_file_exits_2_naming_the_setting(cli):
    broken = cli.workdir / "broken.npz"
    broken.write_text("not an adapter", encoding="utf-8")

    result = cli.run("ask", ROADMAP, env={"ROLEBOT_QUERY_ADAPTER": str(broken)})

    assert result.returncode == 2
    assert "ROLEBOT_QUERY_ADAPTER" in result.stderr and "broken.npz" in result.stderr
    assert "Traceback" not in result.stderr


# -- chat --------------------------------------------------------------------------------------


def test_chat_answers_from_stdin_and_quits_cleanly(runs):
    result = runs["chat"]  # stdin: the roadmap question, then "quit"

    assert_clean_exit(result)
    # The banner's example question mentions the roadmap too: look only after the first prompt.
    _, _, after_prompt = result.stdout.partition("you ›")
    assert "Answer" in after_prompt
    assert "roadmap" in after_prompt.lower()
    assert "TPM" in after_prompt

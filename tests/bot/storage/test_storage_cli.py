"""`rolebot report` and `rolebot export-feedback` on a seeded SQLite file (ROLEBOT_DB)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support.stored_questions import seed
from typer.testing import CliRunner

from bot.cli import app
from bot.settings import Settings
from bot.storage import open_storage


@pytest.fixture
def seeded_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "seeded.db"
    storage = open_storage(Settings(db_path=path), required=True)
    seed(storage.recorder, now=datetime.now(UTC))
    storage.close()
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("ROLEBOT_DB", str(path))
    monkeypatch.setenv("ROLEBOT_DATA_DIR", str(tmp_path / "data"))
    return path


def test_report_json(seeded_db: Path) -> None:
    result = CliRunner().invoke(app, ["report", "--json", "--since", "7d"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["questions"], data["answered"], data["answered_rate"]) == (10, 7, 0.7)
    assert (data["latency_p50_ms"], data["latency_p95_ms"]) == pytest.approx((550, 955))
    assert data["top_sections"][0] == {"section": "Guide › Roles › PM", "count": 4}
    assert data["declined"][0] == {"question": "who signs off budgets?", "count": 2}
    assert sum(day["questions"] for day in data["per_day"]) == 10


def test_report_table(seeded_db: Path) -> None:
    result = CliRunner().invoke(app, ["report"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for text in ("10 question(s)", "answered 70%", "Top cited sections", "who signs off budgets?"):
        assert text in result.stdout


def test_report_bad_since(seeded_db: Path) -> None:
    result = CliRunner().invoke(app, ["report", "--since", "soon"])
    assert result.exit_code == 2
    assert "--since 'soon': use a span such as 24h, 7d or 2w" in result.stderr


def test_report_unreachable_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:1/test")
    result = CliRunner().invoke(app, ["report"])
    assert result.exit_code == 2
    assert "rolebot: cannot use the database postgresql+psycopg2://postgres@127.0.0.1:1" in (
        result.stderr
    )


def test_export_feedback(seeded_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "feedback.jsonl"
    result = CliRunner().invoke(app, ["export-feedback", str(out)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 5
    assert lines[1] == {
        "question": "Who owns the roadmap?",
        "sections": ["Roles › PM"],
        "votes": {"up": 1, "down": 0},
    }
    assert "5 labelled question(s) written" in result.stderr


def test_export_feedback_to_stdout_since(seeded_db: Path) -> None:
    result = CliRunner().invoke(app, ["export-feedback", "-", "--since", "30h"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 3


def test_ask_with_a_malformed_database_url_answers_logs_one_line_and_exits_0(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.cli import ask as ask_module
    from bot.types import Answer, Citation, Match, Outcome

    citation = Citation(
        document="Guide", url=None, section="Focus", section_path=("Guide", "Focus"), roles=()
    )
    answer = Answer(
        question="Who owns the roadmap?",
        outcome=Outcome.ANSWERED,
        matches=(Match(text="The PM owns the roadmap.", citation=citation, score=0.9),),
        confidence=0.9,
    )

    class CannedEngine:
        def answer(self, question: str) -> Answer:
            return answer

    monkeypatch.setattr(ask_module, "load_engine", lambda *args, **kwargs: CannedEngine())
    monkeypatch.setenv("DATABASE_URL", "not a url")
    monkeypatch.setenv("ROLEBOT_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["ask", "--json", "Who owns the roadmap?"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["answer"] == "The PM owns the roadmap."
    problems = [r for r in caplog.records if r.levelno >= 30]
    assert [r.getMessage()[:50] for r in problems] == [
        "not recording questions: DATABASE_URL is not a dat"
    ]
    assert all(r.exc_info is None for r in problems)
    assert "Traceback" not in result.output

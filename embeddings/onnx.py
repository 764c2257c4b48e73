"""The serving encoder: the bundled model run by onnxruntime with its own fast tokenizer.

No torch here. The ONNX graph is made from the model's own files by `embeddings.export`
(torch, in a subprocess) the first time it is needed and kept in the cache directory under
the model's name and a hash of its files, beside a checksum of the graph; a missing or
corrupt graph is rebuilt, with a warning. Tokenization, mean pooling and normalisation follow
sentence-transformers: the model's max_seq_length (256 for all-MiniLM-L6-v2), not the 128 that
tokenizer.json carries, and the mean of the token vectors under the attention mask.

Memory is bounded whatever the input: each text is cut at max_seq_length tokens, and texts
are encoded in order of length, in batches of at most `batch_tokens` tokens once padded, so a
long text is never padded together with many short ones.

onnxruntime is not fork-safe: the session is opened on first use in each process, and
`release()` closes it, so a server can build its index, release, fork, and open it again in
the worker (bot.cli.serve).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from embeddings.encoder import (
    MAX_BATCH_TEXTS,
    MAX_BATCH_TOKENS,
    Encoder,
    EncoderError,
    TokenEncoding,
    normalise,
    pooled,
    resolve_model,
    return_large_blocks,
    token_batches,
)

log = logging.getLogger(__name__)

BACKEND = "onnx"
EXPORT_TIMEOUT_S = 600
_PROJECT_ROOT = Path(__file__).resolve().parents[1]


def model_digest(model_dir: Path, memo: Path | None = None) -> str:
    """sha256 over every file of the model directory (relative path and content). `memo`
    keeps it beside the files' sizes and modification times, so that an unchanged model is not
    read again (hashing the bundled model's 90 MB took ~0.14 s of every start)."""
    files = sorted(p for p in model_dir.rglob("*") if p.is_file())
    stats = [[p.relative_to(model_dir).as_posix(), *_stat(p)] for p in files]
    key = str(model_dir.resolve())
    known: dict[str, Any] = {}
    if memo is not None:
        with contextlib.suppress(OSError, ValueError):
            known = json.loads(memo.read_text())
        if isinstance(known.get(key), dict) and known[key].get("files") == stats:
            return str(known[key]["digest"])
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(model_dir).as_posix().encode() + b"\x00")
        with path.open("rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    if memo is not None:
        known[key] = {"files": stats, "digest": digest.hexdigest()}
        with contextlib.suppress(OSError):
            memo.parent.mkdir(parents=True, exist_ok=True)
            tmp = memo.with_name(f".{memo.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(known))
            os.replace(tmp, memo)
    return digest.hexdigest()


def _stat(path: Path) -> list[int]:
    info = path.stat()
    return [info.st_size, info.st_mtime_ns]


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def onnx_file(model_dir: Path, cache_dir: Path, model: str | None = None) -> Path:
    """Where the ONNX graph of the model in `model_dir` is kept: named after the model (the
    setting's last part, e.g. all-MiniLM-L6-v2) and a hash of its files, so that a changed
    model gets a new graph."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", re.split(r"[:/\\]", model or "")[-1]).strip("_")
    name = name or model_dir.name
    folder = Path(cache_dir) / "onnx"
    return folder / f"{name}-{model_digest(model_dir, folder / 'model-digests.json')[:16]}.onnx"


def _checksum_file(graph: Path) -> Path:
    return graph.with_name(graph.name + ".sha256")


def _intact(graph: Path) -> bool:
    """The graph matches the sha256 written beside it. The file's size and modification time
    are kept there too: while they are unchanged the graph is not read again (a changed or
    rewritten file has a new modification time, and is hashed)."""
    try:
        lines = _checksum_file(graph).read_text().split()
        stat = [str(v) for v in _stat(graph)]
        if len(lines) == 3 and lines[1:] == stat:
            return True
        if not lines or lines[0] != file_sha256(graph):
            return False
    except OSError:
        return False
    _write_checksum(graph, lines[0])
    return True


def _write_checksum(graph: Path, sha256: str) -> None:
    with contextlib.suppress(OSError):
        size, mtime = _stat(graph)
        _checksum_file(graph).write_text(f"{sha256}\n{size} {mtime}\n")


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One process at a time builds a graph; the others wait and then find it built."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_onnx(
    model_dir: Path, cache_dir: Path, model: str | None = None, shared_dir: Path | None = None
) -> Path:
    """The ONNX graph of the model in `cache_dir`, made first if it is missing or corrupt: a
    verified copy in `shared_dir` (a per-user cache that every data directory of this user
    shares) is linked in, else the model is exported (into `shared_dir` too when given)."""
    graph = onnx_file(model_dir, cache_dir, model)
    if _intact(graph):
        return graph
    shared = shared_dir / graph.name if shared_dir is not None else graph
    if shared.parent.resolve() == graph.parent.resolve():
        shared = graph
    with _locked(shared.with_name(shared.name + ".lock")):
        if _intact(graph):
            return graph
        if graph.exists():
            log.warning("ONNX model %s is corrupt (checksum mismatch); rebuilding it", graph)
            graph.unlink()  # not written over: it may be a link to the shared copy
        if not _intact(shared):
            log.warning(
                "no ONNX model for %s yet: exporting it to %s (once; takes a few seconds)",
                model or model_dir.name,
                shared,
            )
            shared.unlink(missing_ok=True)
            export(model_dir, shared)
            _write_checksum(shared, file_sha256(shared))
        if shared != graph:
            _link_or_copy(shared, graph)
            _write_checksum(graph, _checksum_file(shared).read_text().split()[0])
            log.info("ONNX model %s linked from %s", graph, shared)
    return graph


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        os.link(source, tmp)
    except OSError:
        shutil.copyfile(source, tmp)
    os.replace(tmp, target)


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TRANSFORMERS_OFFLINE", "1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_PROJECT_ROOT), env.get("PYTHONPATH")]))
    return env


def export(model_dir: Path, graph: Path) -> None:
    """Run embeddings.export (torch) in a subprocess, so that this process never loads torch."""
    command = [sys.executable, "-m", "embeddings.export", str(model_dir), str(graph)]
    try:
        done = subprocess.run(
            command, env=_child_env(), capture_output=True, text=True, timeout=EXPORT_TIMEOUT_S
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EncoderError(f"cannot export {model_dir} to ONNX: {exc}") from exc
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise EncoderError(
            f"cannot export {model_dir} to ONNX ({detail}); the export needs torch and "
            "transformers once (`make install`), or set ROLEBOT_ENCODER=torch"
        )
    log.info("%s", done.stdout.strip())


class OnnxEncoder(Encoder):
    """A local sentence-transformers model with mean pooling (all-MiniLM-L6-v2 by default)."""

    def __init__(
        self,
        model: str,
        cache_dir: Path,
        *,
        shared_dir: Path | None = None,
        threads: int | None = None,
        batch_tokens: int = MAX_BATCH_TOKENS,
        forks: bool = False,
    ) -> None:
        """The ONNX graph lives in `cache_dir`/onnx (see `ensure_onnx` for `shared_dir`).
        `threads` caps onnxruntime's intra-op threads for this encoder; None lets onnxruntime
        choose (one per core). A server answering several questions at once does better with 1
        per question. `forks`: this process will fork a worker, so it must never import
        onnxruntime (see `release`)."""
        from tokenizers import Tokenizer

        location = Path(resolve_model(model))
        if not (location / "tokenizer.json").is_file():
            raise EncoderError(
                f"cannot load embedding model {model!r} with onnxruntime: no tokenizer.json in "
                f"{location} (a local sentence-transformers model is needed; or set "
                "ROLEBOT_ENCODER=torch)"
            )
        self._setting = model
        self.name = f"{model} ({BACKEND})"
        self.has_tokens = True
        self.max_seq_length, self._dimension = _read_config(location, model)
        self._tokenizer = Tokenizer.from_file(str(location / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(self.max_seq_length)
        self._vocabulary = frozenset(self._tokenizer.get_vocab())
        self._threads = threads
        self._batch_tokens = max(batch_tokens, self.max_seq_length)
        self.path = ensure_onnx(location, Path(cache_dir), model, shared_dir)
        self._session: Any = None
        self._session_pid: int | None = None
        self._lock = threading.Lock()
        # Forward passes at once: one per core; more only add memory, not speed.
        self._running = threading.BoundedSemaphore(os.cpu_count() or 1)
        self._child_args = [model, str(cache_dir), str(shared_dir or "")]
        self._in_child = forks
        log.info("embedding model %s: onnxruntime on %s", model, self.path)

    @property
    def model(self) -> str:
        return self._setting

    @property
    def dimension(self) -> int:
        return self._dimension

    # -- the session: one per process ------------------------------------------------------

    def load(self) -> None:
        """Open the onnxruntime session now, in this process (a server's worker)."""
        self._in_child = False
        self._current_session()

    def release(self) -> None:
        """Close the session and encode in a child process until `load()`. onnxruntime is not
        fork-safe: once a process has imported it, a forked child hangs or aborts at exit
        ("terminate called… std::system_error"), so a server's master must never import it."""
        with self._lock:
            self._session = None
            self._session_pid = None
            self._in_child = True

    def _current_session(self) -> Any:
        session = self._session
        if session is not None and self._session_pid == os.getpid():
            return session
        with self._lock:
            if self._session is None or self._session_pid != os.getpid():
                self._session = _open_session(self.path, self._threads)
                self._session_pid = os.getpid()
            return self._session

    # -- encoding ----------------------------------------------------------------------------

    def tokens(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids as the model sees them: special tokens added, cut at max_seq_length."""
        return [self._tokenizer.encode(text).ids for text in texts]

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        if self._in_child:
            return _encode_in_child(self._child_args, texts, self._dimension, False).vectors
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for batch, hidden, mask in self._forward(texts):
            weights = mask[:, :, None].astype(np.float32)
            summed = (hidden * weights).sum(axis=1)
            out[batch] = summed / np.maximum(weights.sum(axis=1), 1e-9)
        return normalise(out)

    def _forward(self, texts: Sequence[str]) -> Iterator[tuple[list[int], np.ndarray, np.ndarray]]:
        """The model's token outputs, batch by batch: (text indices, hidden states, mask)."""
        ids = self.tokens(texts)
        session = self._current_session()
        lengths = [len(t) for t in ids]
        for batch in token_batches(lengths, self._batch_tokens, MAX_BATCH_TEXTS):
            width = max(lengths[i] for i in batch)
            input_ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                input_ids[row, : lengths[i]] = ids[i]
                mask[row, : lengths[i]] = 1
            feeds = {
                "input_ids": input_ids,
                "attention_mask": mask,
                "token_type_ids": np.zeros_like(input_ids),
            }
            with self._running:
                hidden = session.run(["last_hidden_state"], feeds)[0]
            yield batch, hidden, mask

    def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        return self._encode(texts)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)

    def encode_tokens(self, texts: Sequence[str]) -> TokenEncoding:
        """The token outputs under the attention mask, pooled as `_encode` pools them."""
        if not texts:
            return TokenEncoding(np.zeros((0, self._dimension), dtype=np.float32), ())
        if self._in_child:
            return _encode_in_child(self._child_args, texts, self._dimension, True)
        outputs: list[np.ndarray] = [np.zeros(0)] * len(texts)
        for batch, hidden, mask in self._forward(texts):
            for row, i in enumerate(batch):
                outputs[i] = hidden[row, : int(mask[row].sum())]
        return pooled(outputs)


def _read_config(location: Path, model: str) -> tuple[int, int]:
    """(max_seq_length, dimension) of a sentence-transformers model that mean-pools and
    normalises; EncoderError for any other kind of model."""
    try:
        modules = json.loads((location / "modules.json").read_text())
        types = [m["type"].rsplit(".", 1)[-1] for m in modules]
        pooling_dir = next(m["path"] for m in modules if m["type"].endswith("Pooling"))
        pooling = json.loads((location / pooling_dir / "config.json").read_text())
        sbert = json.loads((location / "sentence_bert_config.json").read_text())
        config = json.loads((location / "config.json").read_text())
    except (OSError, ValueError, KeyError, StopIteration) as exc:
        raise EncoderError(
            f"cannot read {model!r} as a sentence-transformers model ({exc}); "
            "set ROLEBOT_ENCODER=torch"
        ) from exc
    means = pooling.get("pooling_mode_mean_tokens") and not any(
        pooling.get(k)
        for k in pooling
        if k.startswith("pooling_mode_") and k != "pooling_mode_mean_tokens"
    )
    if types[:2] != ["Transformer", "Pooling"] or not means:
        raise EncoderError(
            f"{model!r} is not a mean-pooling transformer ({', '.join(types)}); "
            "the onnxruntime encoder can't run it: set ROLEBOT_ENCODER=torch"
        )
    limit = int(sbert.get("max_seq_length") or config.get("max_position_embeddings", 512))
    return min(limit, int(config.get("max_position_embeddings", limit))), int(
        pooling.get("word_embedding_dimension") or config["hidden_size"]
    )


def _open_session(path: Path, threads: int | None) -> Any:
    import onnxruntime

    return_large_blocks()

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads or 0
    options.inter_op_num_threads = 1
    # Every batch has its own shape: an arena would keep the largest one's memory for good.
    options.enable_cpu_mem_arena = False
    options.enable_mem_pattern = False
    # Idle pool threads sleep rather than spin: a spinning pool steals the cores from the other
    # requests' threads (and from torch, in a process that also runs the reference).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    try:
        return onnxruntime.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # onnxruntime raises its own exception types
        raise EncoderError(f"cannot load the ONNX model {path}: {exc}") from exc


def scratch_cache_dir() -> Path:
    """A cache directory for callers that keep none (the ONNX graph must live somewhere)."""
    return Path(tempfile.gettempdir()) / "rolebot-cache"


def _encode_in_child(
    args: list[str], texts: Sequence[str], dimension: int, tokens: bool
) -> TokenEncoding:
    """Encode in a fresh `python -m embeddings.onnx` (texts as JSON on stdin, an .npz on
    stdout), so that this process never imports onnxruntime. With `tokens`, the token vectors
    too (else the encoding holds none)."""
    command = [sys.executable, "-m", "embeddings.onnx", *args]
    try:
        done = subprocess.run(
            command,
            env=_child_env(),
            input=json.dumps({"texts": list(texts), "tokens": tokens}).encode(),
            capture_output=True,
            timeout=EXPORT_TIMEOUT_S,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EncoderError(f"cannot encode in a child process: {exc}") from exc
    if done.returncode != 0:
        detail = (done.stderr.decode(errors="replace").strip().splitlines() or ["no output"])[-1]
        raise EncoderError(f"cannot encode in a child process: {detail}")
    with np.load(io.BytesIO(done.stdout), allow_pickle=False) as found:
        vectors, flat, counts = found["vectors"], found["tokens"], found["counts"]
    if vectors.shape != (len(texts), dimension) or len(counts) != (len(texts) if tokens else 0):
        raise EncoderError(f"the child process returned vectors of shape {vectors.shape}")
    return TokenEncoding(vectors, tuple(np.split(flat, np.cumsum(counts)[:-1])) if tokens else ())


def main(argv: list[str]) -> int:
    """`python -m embeddings.onnx MODEL CACHE_DIR [SHARED_DIR]`: encode the texts of the JSON
    object on stdin ({"texts": [...], "tokens": bool}), write the vectors (and token vectors,
    concatenated, with their counts per text) as an .npz to stdout."""
    model, cache_dir, shared_dir = [*argv, ""][:3]
    shared = Path(shared_dir) if shared_dir else None
    encoder = OnnxEncoder(model, Path(cache_dir), shared_dir=shared)
    request = json.loads(sys.stdin.buffer.read())
    texts = request["texts"]
    empty = np.zeros((0, encoder.dimension), dtype=np.float32)
    if request.get("tokens"):
        encoded = encoder.encode_tokens(texts)
        vectors, tokens = encoded.vectors, encoded.tokens
        flat = np.concatenate(tokens) if tokens else empty
        counts = np.array([len(t) for t in tokens], dtype=np.int64)
    else:
        vectors, flat, counts = encoder.encode_passages(texts), empty, np.zeros(0, np.int64)
    buffer = io.BytesIO()
    np.savez(buffer, vectors=vectors, tokens=flat, counts=counts)
    sys.stdout.buffer.write(buffer.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

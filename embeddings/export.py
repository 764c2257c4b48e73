"""Export a local sentence-transformers BERT model to ONNX, with torch: run as a subprocess.

    python -m embeddings.export MODEL_DIR OUT.onnx

The graph takes `input_ids`, `attention_mask` and `token_type_ids` (batch x tokens, int64) and
returns the transformer's `last_hidden_state`; pooling and normalisation stay in numpy
(embeddings.onnx), as sentence-transformers does them. The export is checked before it is
written: onnxruntime must reproduce torch's hidden states on a probe batch of two lengths, or
nothing is written and the exit code is 1. Serving never imports this module (it needs torch).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import numpy as np

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT = "last_hidden_state"
OPSET = 17
PROBE = (
    "Who owns the technical roadmap?",
    "A longer probe sentence, so that the batch is padded and the attention mask matters.",
)
TOLERANCE = 1e-3  # largest absolute difference allowed between torch and onnxruntime


def export(model_dir: Path, out: Path) -> float:
    """Write the ONNX graph of the model in `model_dir` to `out` (atomically); return the
    largest absolute difference from torch on the probe batch."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import onnxruntime
    import torch
    from transformers import AutoModel, AutoTokenizer

    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager")
    model.eval()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))

    class HiddenStates(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            return self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    batch = tokenizer(list(PROBE), padding=True, return_tensors="pt")
    args = tuple(batch[name] for name in INPUTS)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        with torch.inference_mode():
            expected = HiddenStates()(*args).numpy()
        torch.onnx.export(
            HiddenStates(),
            args,
            str(tmp),
            input_names=list(INPUTS),
            output_names=[OUTPUT],
            dynamic_axes={name: {0: "batch", 1: "tokens"} for name in (*INPUTS, OUTPUT)},
            opset_version=OPSET,
            dynamo=False,
        )
        session = onnxruntime.InferenceSession(str(tmp), providers=["CPUExecutionProvider"])
        feeds = {name: batch[name].numpy().astype(np.int64) for name in INPUTS}
        got = session.run([OUTPUT], feeds)[0]
        difference = float(np.abs(got - expected).max())
        if not difference <= TOLERANCE:
            raise RuntimeError(
                f"onnxruntime differs from torch by {difference:.2g} (> {TOLERANCE}) on the probe"
            )
        tmp.chmod(0o644)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return difference


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m embeddings.export MODEL_DIR OUT.onnx", file=sys.stderr)
        return 2
    try:
        difference = export(Path(argv[0]), Path(argv[1]))
    except Exception as exc:  # reported to the parent process, which raises EncoderError
        print(f"export failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"exported {argv[0]} -> {argv[1]} (max difference from torch {difference:.2g})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

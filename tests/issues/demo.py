"""The demo issue the importer's tests read."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The digitized 2020年第4期, unedited (a copy of the shared test corpus).
ISSUE_2020_4 = ROOT / "fixtures" / "demo" / "jczx-2020-04.md"

"""The sample school the project keeps (a copy of the handed-over data)."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
SAMPLE_SCHOOL = REPO_ROOT / "samples" / "thcs-nguyen-du"

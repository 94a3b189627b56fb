"""Write environment.yml from requirements.lock so conda users get the same pins.

Run by `make lock`; tests/test_environment.py checks the two files agree.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def locked_requirements(lock: Path = ROOT / "requirements.lock") -> list[str]:
    lines = [line.strip() for line in lock.read_text("utf-8").splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def environment_yml(pins: list[str]) -> str:
    body = "\n".join(f"      - {pin}" for pin in pins)
    return (
        "# Generated from requirements.lock by tools/write_environment_yml.py (make lock).\n"
        "# conda env create -f environment.yml && conda activate arabic-news-analysis\n"
        "# then: pip install --no-deps -e .\n"
        "name: arabic-news-analysis\n"
        "channels:\n"
        "  - conda-forge\n"
        "dependencies:\n"
        "  - python=3.11\n"
        "  - pip\n"
        "  - pip:\n"
        f"{body}\n"
    )


if __name__ == "__main__":
    (ROOT / "environment.yml").write_text(environment_yml(locked_requirements()), "utf-8")

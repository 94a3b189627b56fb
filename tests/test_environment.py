"""The lock file, environment.yml and pyproject.toml agree, so every install gets the same pins."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].strip().lower().replace("_", "-")


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text("utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            assert "==" in line, f"unpinned line in requirements.lock: {line}"
            name, version = line.split("==", 1)
            pins[name.lower().replace("_", "-")] = version
    return pins


def test_environment_yml_has_exactly_the_lock_pins():
    env = yaml.safe_load((ROOT / "environment.yml").read_text("utf-8"))
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    conda_pins = {_name(p): p.split("==", 1)[1] for p in pip_section}
    assert conda_pins == _lock()
    assert "python=3.11" in env["dependencies"]


def test_every_declared_dependency_is_pinned():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    lock = _lock()
    missing = [dep for dep in project["dependencies"] if _name(dep) not in lock]
    assert missing == []


def test_matplotlib_pin_shapes_arabic_itself():
    major, minor = (int(x) for x in _lock()["matplotlib"].split(".")[:2])
    assert (major, minor) >= (3, 11)  # older versions need reshaping; we pass plain strings
    assert "arabic-reshaper" not in _lock() and "python-bidi" not in _lock()

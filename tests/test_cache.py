"""The prepare cache: what invalidates it, and that it covers all the code prepare runs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from analysis.cache import PREPARE_MODULES, prepare_cached, prepare_fingerprint
from analysis.prepare import DEFAULT_CODEBOOK, PrepareSettings

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "raw" / "demo"


def test_fingerprint_covers_every_module_prepare_imports():
    code = ("import sys, analysis.prepare; print('\\n'.join(sorted(m for m in sys.modules "
            "if m.startswith('analysis.'))))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT).stdout.split()
    files = {name.split(".")[-1] + ".py" for name in loaded if name.count(".") == 1}
    assert files - set(PREPARE_MODULES) == set()


def _small_corpus(folder: Path) -> Path:
    folder.mkdir()
    for path in sorted(DEMO.glob("medwire_*.txt"))[:2]:
        shutil.copy(path, folder / path.name)
    return folder


def test_cache_hit_then_codebook_change_invalidates(tmp_path):
    corpus = _small_corpus(tmp_path / "corpus")
    codebook = tmp_path / "codebook"
    shutil.copytree(DEFAULT_CODEBOOK, codebook)
    settings = PrepareSettings(corpus=corpus, workdir=tmp_path / "work", codebook=codebook)
    first, _ = prepare_cached(settings, progress=False)
    second, _ = prepare_cached(settings, progress=False)
    assert not first.cached and second.cached
    assert second.n_documents == first.n_documents == 2
    before = prepare_fingerprint(settings)
    topics = codebook / "topics.yml"
    topics.write_text(topics.read_text("utf-8") + "\n", "utf-8")
    after = prepare_fingerprint(settings)
    assert after["codebook"] != before["codebook"] and after["corpus"] == before["corpus"]
    third, _ = prepare_cached(settings, progress=False)
    assert not third.cached


def test_prepare_affecting_parameters_change_the_fingerprint(tmp_path):
    corpus = _small_corpus(tmp_path / "corpus")
    base = PrepareSettings(corpus=corpus, workdir=tmp_path)
    other = PrepareSettings(corpus=corpus, workdir=tmp_path, ner_model="my_model")
    assert prepare_fingerprint(base)["parameters"] != prepare_fingerprint(other)["parameters"]
    assert prepare_fingerprint(base)["corpus"] == prepare_fingerprint(other)["corpus"]

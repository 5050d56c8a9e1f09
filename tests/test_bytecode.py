"""The per-user cache of compiled built-in templates (sopc.bytecode)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import EXAMPLES

from sopc.bytecode import bytecode_cache

SCHOOL = EXAMPLES / "ppo-noord-kennemerland.yaml"


def document() -> object:
    import datetime

    import sopc

    report = sopc.build([SCHOOL], Path("/nonexistent-never-written"), formats=(),
                        keep_documents=True, today=datetime.date(2022, 3, 1),
                        incremental=False)
    return report.files[0].documents["volledig"]


def test_a_second_renderer_uses_the_compiled_templates_and_renders_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sopc.render import Renderer

    monkeypatch.setenv("SOPC_CACHE_DIR", str(tmp_path / "cache"))
    doc = document()
    first = {fmt: Renderer().render_text(doc, fmt) for fmt in ("html", "md")}  # type: ignore[arg-type]
    entries = list((tmp_path / "cache").rglob("*.cache"))
    assert len(entries) > 20  # every template a document needs, per format
    assert {oct(path.parent.stat().st_mode & 0o777) for path in entries} == {"0o700"}
    loaded = []
    from sopc import bytecode

    original = bytecode._QuietCache.load_bytecode

    def counting(self: bytecode._QuietCache, bucket: object) -> None:
        original(self, bucket)  # type: ignore[arg-type]
        loaded.append(getattr(bucket, "code", None) is not None)

    monkeypatch.setattr(bytecode._QuietCache, "load_bytecode", counting)
    second = {fmt: Renderer().render_text(doc, fmt) for fmt in ("html", "md")}  # type: ignore[arg-type]
    assert second == first and loaded and all(loaded)
    (tmp_path / "een-bestand").write_text("", encoding="utf-8")
    monkeypatch.setenv("SOPC_CACHE_DIR", str(tmp_path / "een-bestand" / "cache"))  # cannot be
    assert {fmt: Renderer().render_text(doc, fmt) for fmt in ("html", "md")} == first  # type: ignore[arg-type]


def test_a_folder_others_may_write_in_is_not_used(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "gedeeld"
    shared.mkdir()
    os.chmod(shared, 0o777)
    monkeypatch.setenv("SOPC_CACHE_DIR", str(shared))
    assert bytecode_cache("1", "html") is None
    os.chmod(shared, 0o700)
    assert bytecode_cache("1", "html") is not None
    link = tmp_path / "link"
    link.symlink_to(shared)
    monkeypatch.setenv("SOPC_CACHE_DIR", str(link))
    assert bytecode_cache("1", "html") is None  # a symbolic link is not the user's folder


def test_user_templates_are_never_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    from sopc.render import Renderer

    monkeypatch.setenv("SOPC_CACHE_DIR", str(tmp_path / "cache"))
    theme = tmp_path / "thema"
    theme.mkdir()
    (theme / "document.md.j2").write_text("{{ doc.school_name }}\n", encoding="utf-8")
    renderer = Renderer([theme])
    assert all(env.bytecode_cache is None for env in renderer._environments.values())
    assert renderer.render_text(document(), "md").startswith("OGO-basisschool")  # type: ignore[arg-type]

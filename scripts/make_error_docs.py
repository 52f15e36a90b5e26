"""Regenerate docs/errors.md from src/shuzheng/core/codes.py."""

from pathlib import Path

from shuzheng.render.codes import render

target = Path(__file__).resolve().parent.parent / "docs" / "errors.md"
target.write_text(render(), encoding="utf-8")
print(f"wrote {target}")

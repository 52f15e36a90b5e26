"""Refresh the real output in docs/使用说明.md.

    python3 scripts/make_user_guide.py           # rewrite every output block from a fresh run
    python3 scripts/make_user_guide.py --check   # exit 1 if a block differs from what shuzheng prints now

A block is a line `<!-- 运行: shuzheng ARGS… -->` followed by a ```text fence: the fence's body
is what that command prints (stdout and stderr) in zh-Hans at 100 columns, run from the
repository (its plans/ and ledgers/). Commands that write files write them into a scratch
folder, so the guide can show `-o` without leaving anything behind.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "使用说明.md"
BLOCK = re.compile(r"(<!-- 运行: (?P<command>.+?) -->\n```text\n)(?P<body>.*?)(```)", re.S)


def run(command: str, scratch: Path) -> str:
    args = shlex.split(command)
    if args[0] != "shuzheng":
        raise SystemExit(f"not a shuzheng command: {command}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHUZHENG_")}
    env.update(SHUZHENG_LANG="zh-Hans", COLUMNS="100", PYTHONPATH=str(ROOT / "src"), NO_COLOR="1")
    work = scratch / "repo"
    result = subprocess.run(
        [sys.executable, "-m", "shuzheng", *args[1:]], cwd=work, env=env, capture_output=True, text=True, check=False
    )
    text = result.stdout + result.stderr
    return "\n".join(line.rstrip() for line in text.rstrip("\n").split("\n")) + "\n"


def refresh(text: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        work = scratch / "repo"
        work.mkdir()
        for name in ("plans", "ledgers", "examples"):
            shutil.copytree(ROOT / name, work / name, symlinks=True)
        return BLOCK.sub(lambda m: m.group(1) + run(m.group("command"), scratch) + m.group(4), text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = GUIDE.read_text(encoding="utf-8")
    fresh = refresh(text)
    if args.check:
        if fresh != text:
            print(f"{GUIDE.relative_to(ROOT)} is stale: run scripts/make_user_guide.py", file=sys.stderr)
            return 1
        return 0
    GUIDE.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

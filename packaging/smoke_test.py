"""Smoke test of a built bundle, as the release workflow runs it on each system:
`--version`, the example added and its minutes exported, and the window started offscreen
until Qt reports its first paint.

    python packaging/smoke_test.py dist/csfacilitator/csfacilitator
    python packaging/smoke_test.py dist\\csfacilitator\\csfacilitator-cli.exe
    python packaging/smoke_test.py "dist/CS Facilitator.app/Contents/MacOS/csfacilitator"
    python packaging/smoke_test.py --appimage dist/CS-Facilitator-x86_64.AppImage
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup_time import gui_environment, wait_for_window  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def expected_version() -> str:
    text = (ROOT / "csfacilitator" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'^__version__ = "([^"]+)"', text, re.M).group(1)


def check(program: list[str], data: Path) -> None:
    def run(*args: str) -> str:
        result = subprocess.run(
            [*program, *args], capture_output=True, text=True, timeout=300, env=environment
        )
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
        return result.stdout

    environment = gui_environment()
    version = run("--version").strip()
    if version != f"csfacilitator {expected_version()}":
        raise SystemExit(f"--version said {version!r}")
    print(f"ok  {version}")

    added = run("--data-dir", str(data), "example")
    conference = re.search(r"conference (\d+)", added).group(1)
    minutes = data.parent / "minutes.docx"
    run("--data-dir", str(data), "export", "minutes", conference, "--out", str(minutes))
    with zipfile.ZipFile(minutes) as document:
        if "word/document.xml" not in document.namelist():
            raise SystemExit("the exported minutes are not a Word document")
    print(f"ok  example added and its minutes exported ({minutes.stat().st_size} bytes)")

    started = time.monotonic()
    process = subprocess.Popen(
        [*program, "--data-dir", str(data)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        if wait_for_window(process, timeout=120) is None:
            raise SystemExit(f"the window did not paint (exit code {process.poll()})")
        print(f"ok  window painted offscreen {time.monotonic() - started:.2f} s after start")
    finally:
        process.terminate()
        process.wait(timeout=60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("program", type=Path, help="the bundle's executable, or an AppImage")
    parser.add_argument(
        "--appimage", action="store_true", help="run an AppImage without FUSE (extract and run)"
    )
    args = parser.parse_args()
    if args.appimage:
        os.environ["APPIMAGE_EXTRACT_AND_RUN"] = "1"  # CI runners often lack FUSE
    with tempfile.TemporaryDirectory() as folder:
        check([str(args.program.resolve())], Path(folder) / "data")
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

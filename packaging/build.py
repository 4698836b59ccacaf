"""Build the app bundle with PyInstaller, in one command.

    .venv/bin/python packaging/build.py                 -> dist/csfacilitator/
    .venv/bin/python packaging/build.py --installer     (Windows: also the Inno Setup installer)

On macOS the same command also makes "dist/CS Facilitator.app". Needs PyInstaller in the
environment (pip install pyinstaller). See packaging/README.md for signing and installers.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "csfacilitator.spec"
ISS = ROOT / "packaging" / "windows" / "csfacilitator.iss"
LINUX = ROOT / "packaging" / "linux"


def app_version() -> str:
    text = (ROOT / "csfacilitator" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'^__version__ = "([^"]+)"', text, re.M).group(1)


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def build(dist: Path, work: Path, *, clean: bool = False, quiet: bool = False) -> Path:
    """Run PyInstaller on the spec; returns the bundle folder (dist/csfacilitator)."""
    try:
        import PyInstaller.__main__ as pyinstaller
    except ImportError:
        raise SystemExit(
            "PyInstaller is not installed here: run  .venv/bin/pip install pyinstaller"
        ) from None
    args = [str(SPEC), "--noconfirm", "--distpath", str(dist), "--workpath", str(work)]
    if clean:
        args.append("--clean")
    if quiet:
        args += ["--log-level", "WARN"]
    pyinstaller.run(args)
    bundle = dist / "csfacilitator"
    if sys.platform.startswith("linux"):
        # A Linux bundle installs itself: sh csfacilitator/install.sh (menu entry and icons).
        for name in ("install.sh", "csfacilitator.desktop"):
            shutil.copy2(LINUX / name, bundle / name)
        replace_icu_data(bundle, work)
    return bundle


def replace_icu_data(bundle: Path, work: Path) -> int:
    """Linux: put an empty ICU data library in place of PySide6's 32 MB libicudata (see
    packaging/linux/icudata_stub.c for why the app needs none of it). Returns bytes saved;
    0, with a note, where no C compiler is found (the bundle then keeps the full data)."""
    found = sorted(bundle.rglob("libicudata.so.*"))
    compiler = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    if not found or compiler is None:
        if found:
            print("No C compiler (cc): the bundle keeps ICU's full data (32 MB more).")
        return 0
    saved = 0
    for library in found:
        if library.is_symlink():
            continue
        major = library.name.split(".so.")[1].split(".")[0]
        stub = work / f"icudata-stub-{major}" / library.name
        stub.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                compiler,
                "-shared",
                "-fPIC",
                "-O2",
                "-s",
                f"-DICU_DATA_SYMBOL=icudt{major}_dat",
                f"-Wl,-soname,libicudata.so.{major}",
                "-o",
                str(stub),
                str(LINUX / "icudata_stub.c"),
            ],
            check=True,
        )
        saved += library.stat().st_size - stub.stat().st_size
        shutil.copyfile(stub, library)
    return saved


def make_installer(dist: Path) -> Path:
    """Windows only: compile the Inno Setup script against the bundle just built."""
    iscc = shutil.which("iscc")
    places = [os.environ.get("PROGRAMFILES(X86)", ""), os.environ.get("LOCALAPPDATA", "")]
    for place in filter(None, places):
        for candidate in (Path(place) / "Inno Setup 6", Path(place) / "Programs" / "Inno Setup 6"):
            if iscc is None and (candidate / "ISCC.exe").is_file():
                iscc = str(candidate / "ISCC.exe")
    if iscc is None:
        raise SystemExit("Inno Setup's ISCC.exe was not found: install Inno Setup 6 first.")
    output = dist / "installer"
    subprocess.run(
        [
            iscc,
            f"/DAppVersion={app_version()}",
            f"/DBundleDir={dist / 'csfacilitator'}",
            f"/O{output}",
            str(ISS),
        ],
        check=True,
    )
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    parser.add_argument("--quiet", action="store_true", help="show only warnings")
    parser.add_argument(
        "--installer", action="store_true", help="Windows: also build the Inno Setup installer"
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    bundle = build(args.dist.resolve(), args.work.resolve(), clean=args.clean, quiet=args.quiet)
    seconds = time.monotonic() - started
    size = folder_size(bundle) / 1_000_000
    print(f"Built {bundle} ({size:.0f} MB) in {seconds:.0f} s, version {app_version()}")
    if sys.platform == "darwin":
        print(f"macOS app: {args.dist.resolve() / 'CS Facilitator.app'}")
    if args.installer:
        if sys.platform != "win32":
            raise SystemExit("The installer is built on Windows (Inno Setup).")
        print(f"Installer in {make_installer(args.dist.resolve())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

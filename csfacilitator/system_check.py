"""Linux: the system libraries Qt needs, checked before Qt is loaded.

Qt's X11 (xcb) platform plugin links a dozen small X libraries that PySide6 does not ship.
When one is missing (libxcb-cursor0 is absent from many fresh Debian and Ubuntu desktops),
Qt prints a long message about its platform plugin and aborts the process (exit 134). This
module looks for each library first, as the dynamic loader would, and when one is missing
prints one plain sentence naming the packages to install (shown as a desktop notification
too, where `notify-send` exists) so the app can exit with code 2 instead.

It imports nothing from Qt: it runs before anything loads QtGui.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from csfacilitator import APP_NAME


@dataclass(frozen=True)
class Library:
    soname: str
    debian: str  # Debian and Ubuntu package
    fedora: str  # Fedora (and RHEL) package


# What PySide6 6.10/6.11 links but does not ship (readelf -d, NEEDED): QtGui, QtWidgets and
# every platform plugin need these ...
FOR_QT_GUI = (
    Library("libEGL.so.1", "libegl1", "libglvnd-egl"),
    Library("libGL.so.1", "libgl1", "libglvnd-glx"),
    Library("libfontconfig.so.1", "libfontconfig1", "fontconfig"),
    Library("libfreetype.so.6", "libfreetype6", "freetype"),
    Library("libX11.so.6", "libx11-6", "libX11"),
    Library("libglib-2.0.so.0", "libglib2.0-0", "glib2"),
    Library("libxkbcommon.so.0", "libxkbcommon0", "libxkbcommon"),
    Library("libdbus-1.so.3", "libdbus-1-3", "dbus-libs"),
)
# ... and the X11 plugin (plugins/platforms/libqxcb.so and lib/libQt6XcbQpa.so.6) these.
FOR_XCB = (
    Library("libxcb.so.1", "libxcb1", "libxcb"),
    Library("libX11-xcb.so.1", "libx11-xcb1", "libX11-xcb"),
    Library("libxkbcommon-x11.so.0", "libxkbcommon-x11-0", "libxkbcommon-x11"),
    Library("libxcb-cursor.so.0", "libxcb-cursor0", "xcb-util-cursor"),
    Library("libxcb-icccm.so.4", "libxcb-icccm4", "xcb-util-wm"),
    Library("libxcb-keysyms.so.1", "libxcb-keysyms1", "xcb-util-keysyms"),
    Library("libxcb-image.so.0", "libxcb-image0", "xcb-util-image"),
    Library("libxcb-util.so.1", "libxcb-util1", "xcb-util"),
    Library("libxcb-render-util.so.0", "libxcb-render-util0", "xcb-util-renderutil"),
    Library("libxcb-randr.so.0", "libxcb-randr0", "libxcb"),
    Library("libxcb-render.so.0", "libxcb-render0", "libxcb"),
    Library("libxcb-shape.so.0", "libxcb-shape0", "libxcb"),
    Library("libxcb-shm.so.0", "libxcb-shm0", "libxcb"),
    Library("libxcb-sync.so.1", "libxcb-sync1", "libxcb"),
    Library("libxcb-xfixes.so.0", "libxcb-xfixes0", "libxcb"),
    Library("libxcb-xkb.so.1", "libxcb-xkb1", "libxcb"),
)


def library_present(soname: str) -> bool:
    """True if the bundle carries `soname` (PyInstaller copies the build machine's) or the
    dynamic loader finds it."""
    bundled = getattr(sys, "_MEIPASS", None)
    if bundled and os.path.exists(os.path.join(bundled, soname)):
        return True
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def platform_will_be_xcb(env: Mapping[str, str]) -> bool:
    """Whether Qt will load its X11 plugin: QT_QPA_PLATFORM names xcb first, or is unset and
    this is not a Wayland session (Qt then picks its own Wayland plugin)."""
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return chosen.split(";")[0].split(":")[0].strip() == "xcb"
    wayland = env.get("XDG_SESSION_TYPE", "").lower() == "wayland" or env.get("WAYLAND_DISPLAY")
    return not wayland


def missing_libraries(
    env: Mapping[str, str] | None = None,
    present: Callable[[str], bool] | None = None,
    platform: str | None = None,
) -> list[Library]:
    """The libraries Qt will need here and the loader cannot find (empty off Linux)."""
    env = os.environ if env is None else env
    present = present or library_present
    if not (platform or sys.platform).startswith("linux"):
        return []
    needed = FOR_QT_GUI + (FOR_XCB if platform_will_be_xcb(env) else ())
    return [library for library in needed if not present(library.soname)]


def message(missing: list[Library]) -> str:
    debian = " ".join(dict.fromkeys(lib.debian for lib in missing))
    fedora = " ".join(dict.fromkeys(lib.fedora for lib in missing))
    names = [lib.soname for lib in missing]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return (
        f"{APP_NAME} cannot open its window: this system lacks {listed}. "
        f"Install {'it' if len(names) == 1 else 'them'} with: sudo apt install {debian} "
        f"(Debian, Ubuntu) or: sudo dnf install {fedora} (Fedora), "
        f"then start {APP_NAME} again."
    )


def notify(text: str) -> None:
    """Show `text` as a desktop notification where notify-send exists; never required."""
    program = shutil.which("notify-send")
    if program is None:
        return
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(
            [program, "--app-name", APP_NAME, "--urgency", "critical", APP_NAME, text],
            timeout=5,
            check=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def check_gui_libraries() -> str | None:
    """Before the GUI starts: None if Qt can load here, else the message (already printed
    on stderr and shown as a notification where possible)."""
    missing = missing_libraries()
    if not missing:
        return None
    text = message(missing)
    if sys.stderr is not None:
        print(f"csfacilitator: {text}", file=sys.stderr)
    notify(text)
    return text

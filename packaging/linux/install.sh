#!/bin/sh
# Install the CS Facilitator bundle for the current user, without root:
#   the program in ~/.local/opt/csfacilitator, the command ~/.local/bin/csfacilitator,
#   the menu entry and the icons in ~/.local/share.
#
#   sh install.sh [BUNDLE_FOLDER]      install or upgrade (default: this script's folder when it
#                                      sits in a bundle, else dist/csfacilitator of the checkout)
#   sh install.sh --uninstall          remove the program, menu entry and icons
#
# Neither ever touches your conferences: they are in ~/.local/share/csfacilitator (the data
# folder) and ~/.local/state/csfacilitator (logs); see Help > About in the app.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
SHARE=${XDG_DATA_HOME:-$HOME/.local/share}
TARGET=$HOME/.local/opt/csfacilitator
BIN=$HOME/.local/bin
SIZES="16 24 32 48 64 128 256 512"

refresh_menus() {
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$SHARE/applications" || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$SHARE/applications/csfacilitator.desktop"
    for size in $SIZES; do
        rm -f "$SHARE/icons/hicolor/${size}x${size}/apps/csfacilitator.png"
    done
    rm -f "$SHARE/icons/hicolor/scalable/apps/csfacilitator.svg"
    if [ -L "$BIN/csfacilitator" ]; then rm -f "$BIN/csfacilitator"; fi
    rm -rf "$TARGET"
    refresh_menus
    echo "CS Facilitator removed. Your data is still in $SHARE/csfacilitator."
    exit 0
fi

if [ $# -ge 1 ]; then
    BUNDLE=$(cd "$1" && pwd)
elif [ -x "$HERE/csfacilitator" ] && [ -d "$HERE/_internal" ]; then
    BUNDLE=$HERE
else
    BUNDLE=$(cd "$HERE/../.." && pwd)/dist/csfacilitator
fi
if [ ! -x "$BUNDLE/csfacilitator" ]; then
    echo "No CS Facilitator bundle in $BUNDLE: build it with  python packaging/build.py" >&2
    exit 2
fi
ICONS=$BUNDLE/_internal/csfacilitator/_resources/icons
DESKTOP=$HERE/csfacilitator.desktop
[ -f "$DESKTOP" ] || DESKTOP=$BUNDLE/csfacilitator.desktop

# Copy beside the old version, then swap, so a failed copy leaves the old one working.
mkdir -p "$(dirname "$TARGET")"
rm -rf "$TARGET.new"
cp -R "$BUNDLE" "$TARGET.new"
rm -rf "$TARGET"
mv "$TARGET.new" "$TARGET"

mkdir -p "$BIN"
ln -sf "$TARGET/csfacilitator" "$BIN/csfacilitator"
for size in $SIZES; do
    mkdir -p "$SHARE/icons/hicolor/${size}x${size}/apps"
    cp "$ICONS/csfacilitator-$size.png" "$SHARE/icons/hicolor/${size}x${size}/apps/csfacilitator.png"
done
mkdir -p "$SHARE/icons/hicolor/scalable/apps" "$SHARE/applications"
cp "$ICONS/csfacilitator.svg" "$SHARE/icons/hicolor/scalable/apps/csfacilitator.svg"
sed "s|^Exec=.*|Exec=\"$TARGET/csfacilitator\"|" "$DESKTOP" >"$SHARE/applications/csfacilitator.desktop"
refresh_menus
echo "Installed CS Facilitator in $TARGET; it is in your applications menu."
case ":$PATH:" in
*":$BIN:"*) ;;
*) echo "Add $BIN to your PATH to run csfacilitator from a terminal." ;;
esac

"""Where everything lives. The one module that resolves folders (platformdirs or an override)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from csfacilitator import APP_ID
from csfacilitator.errors import DataFolderError

ENV_DATA_DIR = "CSFACILITATOR_DATA_DIR"
DATABASE_NAME = "csfacilitator.sqlite3"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


@dataclass(frozen=True)
class DataPaths:
    root: Path
    logs: Path

    @property
    def database(self) -> Path:
        return self.root / DATABASE_NAME

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def lock_file(self) -> Path:
        return self.root / "csfacilitator.lock"


def resolve(data_dir: str | os.PathLike[str] | None = None) -> DataPaths:
    """The data folder: --data-dir, then $CSFACILITATOR_DATA_DIR, then the user's local data folder.

    An override keeps logs inside it too, so tests and portable installs touch nothing else.
    """
    chosen = data_dir or os.environ.get(ENV_DATA_DIR)
    if chosen:
        root = Path(chosen).expanduser().absolute()
        return DataPaths(root=root, logs=root / "logs")
    import platformdirs

    root = platformdirs.user_data_path(APP_ID, appauthor=False, roaming=False)
    logs = platformdirs.user_log_path(APP_ID, appauthor=False)
    return DataPaths(root=root, logs=logs)


def ensure_private_dir(path: Path) -> Path:
    """Create a folder readable by its owner only (0700), whatever the umask."""
    try:
        path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
        if os.name == "posix":
            os.chmod(path, PRIVATE_DIR_MODE)
    except OSError as exc:
        raise DataFolderError(
            f"The data folder {path} cannot be used: {exc.strerror or exc}. "
            "Choose another folder with --data-dir."
        ) from exc
    if not os.access(path, os.W_OK):
        raise DataFolderError(
            f"The data folder {path} is read-only. Choose another folder with --data-dir."
        )
    return path


def make_private(path: Path) -> None:
    """Restrict an existing file to its owner (0600)."""
    if os.name == "posix" and path.exists():
        os.chmod(path, PRIVATE_FILE_MODE)


def prepare(paths: DataPaths) -> DataPaths:
    ensure_private_dir(paths.root)
    ensure_private_dir(paths.backups)
    ensure_private_dir(paths.logs)
    return paths

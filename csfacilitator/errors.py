"""Errors a user can act on. Their message is shown as it is: one plain sentence or two."""

from __future__ import annotations


class UserError(Exception):
    """Something the user (or their machine) can fix; never a bug in the program."""


class DataFolderError(UserError):
    pass


class StorageError(UserError):
    pass


class DatabaseTooNew(StorageError):
    pass


class DatabaseCorrupt(StorageError):
    pass


class NotFound(UserError):
    pass


class BundleError(UserError):
    pass


class ExportError(UserError):
    pass

"""Window-level dialogs: preferences, passphrase, lock, restore, help, export log, crash."""

"""The watcher: notices saves, waits until a file is stable and unlocked, runs a pass."""

"""Who changed what: a compact snapshot of each save's staff sheets, the diff between two
saves, the SQLite journal beside the outputs and the mass-deletion guard (docs/ARCHITECTURE.md, "The journal")."""

"""Small per-domain Definitions, merged in orchestration.definitions."""

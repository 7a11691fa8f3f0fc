"""Admin pages for roster imports and entries."""

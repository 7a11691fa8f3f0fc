"""Admin pages for programmes and place agreements."""

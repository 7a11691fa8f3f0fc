"""Subsidies reads scoped to the asking user, one module per capability."""

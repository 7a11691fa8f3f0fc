"""Subsidies writes, one module per capability."""

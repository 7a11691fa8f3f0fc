"""Subsidies portal pages."""

"""Admissions portal pages, one module per audience."""

"""Admissions writes, one module per capability; import from the module that holds the function."""

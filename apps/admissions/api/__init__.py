"""Admissions API, one module per capability; api_urls.py combines their urlpatterns."""

"""The subsidies API, one module per capability; api_urls.py joins their urlpatterns."""

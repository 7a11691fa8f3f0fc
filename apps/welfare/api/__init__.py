"""The welfare REST API: thin views over the services and the scoped selectors."""

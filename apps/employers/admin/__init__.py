from . import programmes, registry, roster  # noqa: F401 - registers the admin classes

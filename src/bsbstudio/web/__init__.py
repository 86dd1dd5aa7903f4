"""Web: base templates, static files, the home page and the evaluation dashboard."""

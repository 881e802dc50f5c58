"""The web application: Jinja2 pages, vendored htmx and CSS (see ``pages``)."""

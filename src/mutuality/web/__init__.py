"""The web app: server-rendered pages and the REST API over the same services as the CLI.

Build it with :func:`mutuality.web.app.create_app`; ``mutuality serve`` runs it.
"""

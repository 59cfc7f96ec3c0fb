"""Django's PostgreSQL backend on the project-local server, started on the first connection (see ``base``)."""

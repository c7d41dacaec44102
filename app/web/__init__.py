"""The thin web layer: the only part of the app that knows FastAPI, Starlette and Jinja2."""

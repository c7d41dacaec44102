# Partnerskabsbasen: a small image that carries its own search index.
#   docker build -t partnerskabsbasen .
#   docker run -p 8000:8000 partnerskabsbasen
# With PostgreSQL: docker run -p 8000:8000 -e PB_DATABASE_URL=postgresql+psycopg://... IMAGE
# (load the tables once per release with: docker run -e PB_DATABASE_URL=... IMAGE python -m app build)

# --- build stage: dependencies from the hashed lock file, content validated, index built ---
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /srv/partnerskabsbasen
COPY requirements.lock ./
RUN python -m venv /opt/venv && /opt/venv/bin/pip install --require-hashes -r requirements.lock
COPY pyproject.toml ./
COPY app ./app
COPY templates ./templates
COPY content ./content
COPY search_index/.gitkeep ./search_index/.gitkeep
RUN /opt/venv/bin/python -m app check --strict
RUN /opt/venv/bin/python -m app build --strict

# --- runtime stage: no compilers, no pip cache, a non-root user ---
FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    PB_BASE_URL=http://127.0.0.1:8000
RUN useradd --system --uid 10001 --home-dir /srv/partnerskabsbasen partnerskabsbasen
WORKDIR /srv/partnerskabsbasen
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=partnerskabsbasen /srv/partnerskabsbasen /srv/partnerskabsbasen
USER partnerskabsbasen
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
CMD ["python", "-m", "app", "serve", "--host", "0.0.0.0", "--port", "8000"]

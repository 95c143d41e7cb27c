# Production image for Stride: one image for web (gunicorn), worker and beat
# (Celery); docker-compose.yml chooses each service's command.

# Stage 1: uv turns uv.lock into a requirements list with hashes, runtime
# dependencies only (no dev group: no honcho, pytest or linters). uv itself
# stays in this stage. Same uv version as the Makefile and the dev group.
FROM python:3.11-slim AS requirements
ARG UV_VERSION=0.13.9
ENV PIP_DISABLE_PIP_VERSION_CHECK=1
RUN pip install --no-cache-dir "uv==${UV_VERSION}"
WORKDIR /src
COPY pyproject.toml uv.lock ./
RUN uv export --frozen --no-dev --no-emit-project --no-header -o /requirements.txt

# Stage 2: the image.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=clinic.settings \
    PYTHONPATH=/app \
    STRIDE_VAR_DIR=/app/var

# Pango (with fontconfig and a system font) for WeasyPrint's PDF letters.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system stride \
 && useradd --system --gid stride --home-dir /app --no-create-home --shell /usr/sbin/nologin stride

WORKDIR /app

# Dependencies first, so a code change does not reinstall them: exactly the
# locked versions, each checked against its hash. The project itself is not
# installed; the code runs from the source copied into /app, which is the
# working directory and on PYTHONPATH for gunicorn, celery and manage.py alike.
COPY --from=requirements /requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir --require-hashes --no-deps -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

# The application source only: never .venv, .git or var/ (a local database,
# the development secret key and saved emails live there).
COPY manage.py ./
COPY clinic ./clinic
COPY patients ./patients
COPY assessments ./assessments
COPY templates ./templates
COPY static ./static
COPY compose/entrypoint.sh /entrypoint
COPY compose/gunicorn.conf.py ./compose/gunicorn.conf.py

# Static files are collected into the image (var/static, served by WhiteNoise).
# Settings refuse DEBUG=0 without a strong SECRET_KEY, ALLOWED_HOSTS,
# DATABASE_URL and CELERY_BROKER_URL. These values exist only for this step
# and are not kept in the image's environment: collectstatic opens no
# database (an in-memory SQLite stands in) and sends no task (memory://).
# tests/test_image.py runs this step's command with exactly these variables.
RUN DEBUG=0 \
    SECRET_KEY=build-time-only-key-never-used-at-runtime-0123456789abcdef \
    ALLOWED_HOSTS=build \
    DATABASE_URL=sqlite:// \
    CELERY_BROKER_URL=memory:// \
    python manage.py collectstatic --noinput \
 && chmod 0755 /entrypoint \
 && mkdir -p /app/var/media \
 && chown stride:stride /app/var /app/var/media

USER stride
EXPOSE 8000

# The entrypoint waits for the database; in web (RUN_MIGRATIONS=1) it migrates and
# runs db_grant as the owner (MIGRATION_DATABASE_URL), then every service runs as
# the runtime role of DATABASE_URL (README, Production stack and Security).
ENTRYPOINT ["/entrypoint"]
# Bind, workers and an access log with patient-link tokens masked: compose/gunicorn.conf.py.
CMD ["gunicorn", "--config", "compose/gunicorn.conf.py", "clinic.wsgi:application"]

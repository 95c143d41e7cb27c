# Production image for Stride: one image for web (gunicorn), worker and beat
# (Celery); docker-compose.yml chooses each service's command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=clinic.settings \
    PYTHONPATH=/app \
    STRIDE_VAR_DIR=/app/var

RUN groupadd --system stride \
 && useradd --system --gid stride --home-dir /app --no-create-home --shell /usr/sbin/nologin stride

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
# pyproject.toml declares no importable packages ([tool.setuptools] packages = []),
# so a regular `pip install .` installs the dependencies plus the project's
# metadata and nothing else. The code runs from the source copied into /app,
# which is the working directory and on PYTHONPATH for gunicorn, celery and
# manage.py alike. An editable install (-e) would add nothing here.
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir . \
 && rm -rf build stride.egg-info

# The application source only: never .venv, .git or var/ (a local database,
# the development secret key and saved emails live there).
COPY manage.py ./
COPY clinic ./clinic
COPY patients ./patients
COPY assessments ./assessments
COPY templates ./templates
COPY static ./static
COPY compose/entrypoint.sh /entrypoint

# Static files are collected into the image (var/static, served by WhiteNoise).
# Settings refuse DEBUG=0 without a strong SECRET_KEY and ALLOWED_HOSTS: this
# key exists only for this build step and is not kept in the image's
# environment. memory:// keeps settings from creating a filesystem broker.
RUN DEBUG=0 \
    SECRET_KEY=build-time-only-key-never-used-at-runtime-0123456789abcdef \
    ALLOWED_HOSTS=build \
    CELERY_BROKER_URL=memory:// \
    python manage.py collectstatic --noinput \
 && chmod 0755 /entrypoint \
 && chown stride:stride /app/var

USER stride
EXPOSE 8000

ENTRYPOINT ["/entrypoint"]
CMD ["gunicorn", "clinic.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

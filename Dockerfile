# One image for web, worker and beat (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# Pango and HarfBuzz for WeasyPrint's PDFs; fonts for Indonesian text; pg_dump and pg_restore
# (PostgreSQL 15, as the postgres service) for `manage.py cadangkan` and `pulihkan`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The release (part of every cache key: a new release starts with an empty cache).
ARG RELEASE=""
ENV RELEASE=$RELEASE
COPY pyproject.toml README.md ./
RUN pip install .
COPY . .
RUN DEBUG=0 SECRET_KEY=collectstatic-only-not-a-real-key python manage.py collectstatic --no-input

RUN useradd --system --home /app sibina && mkdir -p /srv/sibina/media \
    && chown sibina /srv/sibina/media
USER sibina
EXPOSE 8000
CMD ["gunicorn", "-c", "python:pembinaan.gunicorn_conf", "pembinaan.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]

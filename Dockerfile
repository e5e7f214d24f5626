# Una sola imagen para web, worker y beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1 \
    PATH="/opt/venv/bin:$PATH"

# Pango y fuentes para WeasyPrint; libpq por si se compila psycopg; gettext para catálogos.
# pg_dump/pg_restore para `manage.py respaldar`: deben ser de la versión mayor del servidor
# (postgres:16 en docker-compose.yml) o más nuevos, y Debian 12 trae el 15; el 16 sale del
# repositorio oficial apt.postgresql.org, que da de alta el script de postgresql-common con la
# llave que trae el propio paquete.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libjpeg62-turbo \
      fonts-dejavu-core fonts-liberation2 fontconfig gettext postgresql-common \
 && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
 && apt-get install -y --no-install-recommends postgresql-client-16 \
 && rm -rf /var/lib/apt/lists/* \
 && pip install --no-cache-dir uv \
 && useradd --create-home --uid 1000 expedientes

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
RUN SECRET_KEY=construccion-de-imagen-$(date +%s)-no-se-usa DEBUG=False \
    python manage.py collectstatic --noinput -v 0 \
 && mkdir -p /app/var/media /app/var/respaldos && chown -R expedientes /app/var

USER expedientes
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# Pango for WeasyPrint (agenda and subject-access PDFs), gettext for translations, libmagic
# (document types from their bytes) and poppler's pdftoppm (the first page of a PDF as preview).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz0b fonts-dejavu-core gettext libmagic1 poppler-utils \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install -e .
COPY . .
RUN pip install -e . \
    && DEBUG=0 SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput

# /data/documents: the private document directory (a volume in docker-compose.yml).
RUN useradd --system --uid 1000 dtv && mkdir -p /data/documents \
    && chown -R dtv /app /data/documents
USER dtv
EXPOSE 8000
CMD ["gunicorn", "dtv.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

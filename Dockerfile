FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN useradd --create-home --uid 1000 cleanit
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
RUN DEBUG=true SECRET_KEY=build-only python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/var && chown -R cleanit:cleanit /app/var
USER cleanit
EXPOSE 8000
CMD ["gunicorn", "cleanit.wsgi:application", "--bind", "0.0.0.0:8000", "--worker-class", "gthread", "--workers", "4", "--threads", "2", "--keep-alive", "5"]

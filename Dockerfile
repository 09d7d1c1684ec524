FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
# collectstatic needs settings that load; a throwaway key is enough for it.
RUN DEBUG=false SECRET_KEY=build-only-key-not-used-at-runtime-0123456789abcdefghijklmnop \
    python manage.py collectstatic --no-input

RUN useradd --create-home sanjose && mkdir -p /data/media && chown sanjose /data/media
USER sanjose
EXPOSE 8000
CMD ["gunicorn", "-c", "python:sanjose.gunicorn", "sanjose.wsgi:application", "--bind", "0.0.0.0:8000"]

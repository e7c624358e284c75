FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DATABASE_URL=sqlite:////data/cadence.db

WORKDIR /app
COPY pyproject.toml README.md babel.cfg ./
COPY bot ./bot
COPY handlers ./handlers
COPY jobs ./jobs
COPY storage ./storage
COPY locales ./locales
RUN pip install --no-cache-dir . \
 && pybabel compile -D cadence -d locales \
 && useradd --create-home --uid 10001 cadence \
 && mkdir -p /data && chown cadence:cadence /data

USER cadence
VOLUME ["/data"]
# migrations run at start; the token comes from the environment (see .env.example)
CMD ["python", "-m", "bot", "run"]

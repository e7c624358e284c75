FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 \
    DATABASE_URL=sqlite:////data/cadence.db

# the monthly chart draws Chinese: without a CJK font it could only label areas by number.
# One face is enough: WenQuanYi Micro Hei is 5 MB where fonts-noto-cjk is 229 MB (the Word
# documents name their fonts and never embed them, so the reader's own fonts show them)
RUN apt-get update && apt-get install -y --no-install-recommends fonts-wqy-microhei \
 && apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log

WORKDIR /build
# dependencies in their own layer, from pyproject.toml alone: a code change does not re-download them
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
 && pip install --no-cache-dir -r requirements.txt

COPY README.md babel.cfg ./
COPY bot ./bot
COPY core ./core
COPY usecases ./usecases
COPY handlers ./handlers
COPY jobs ./jobs
COPY storage ./storage
COPY locales ./locales
# catalogs compiled as the Makefile does, then the package installed and the build tree removed,
# so the image runs the installed package (with its catalogs) and holds no build/ or egg-info
RUN pybabel compile -D cadence -d locales \
 && pip install --no-cache-dir --no-deps . \
 && cd / && rm -rf /build \
 && useradd --create-home --uid 10001 cadence \
 && mkdir -p /data && chown cadence:cadence /data

USER cadence
WORKDIR /home/cadence
VOLUME ["/data"]
# migrations run at start; the token comes from the environment (see .env.example)
CMD ["python", "-m", "bot", "run"]

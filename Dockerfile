# CPU image for every Harken role (gateway, worker, migrate): `harken <role>`.
# Dockerfile.cuda builds the GPU variant (CUDA runtime for CTranslate2); torch is not needed by any
# role. No secret is baked in: every credential comes from the environment at run time.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HARKEN_DATA_DIR=/var/lib/harken

WORKDIR /app
# Dependencies first, so code edits do not reinstall them.
COPY pyproject.toml README.md ./
RUN mkdir -p services workers migrations && touch services/__init__.py workers/__init__.py migrations/__init__.py \
    && pip install . && pip uninstall -y harken
COPY services services
COPY workers workers
COPY migrations migrations
RUN pip install --no-deps . \
    && useradd --system --uid 10001 --home-dir /var/lib/harken --create-home harken

USER harken
# 8000: the Transcribe API (gateway); 9464: worker /metrics
EXPOSE 8000 9464
ENTRYPOINT ["harken"]
CMD ["gateway", "--host", "0.0.0.0", "--port", "8000"]

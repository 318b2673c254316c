# CPU image for every Harken role (gateway, worker, migrate): `harken <role>`.
# Dockerfile.cuda builds the GPU variant. Workers diarize (ShowSpeakerLabels) with torch, so the image
# carries the `diarization` extra on PyTorch's CPU build: PyPI's Linux torch wheel is the CUDA build
# and would pull GBs of nvidia-* wheels a CPU pod never uses. No secret is baked in: every credential
# comes from the environment at run time.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HARKEN_DATA_DIR=/var/lib/harken

WORKDIR /app
# Dependencies first, so code edits do not reinstall them.
#  1. torch from PyTorch's CPU index, pinned to the version pyproject.toml's `diarization` extra pins;
#     the constraint file keeps every later resolve on that wheel.
#  2. harken with the `diarization` extra (pyannote.audio) from PyPI.
#  3. resemblyzer without its declared dependencies: only its speaker-encoder weights are used
#     (the same pin scripts/test installs).
#  4. scripts/fix_torch_audio.py: pyannote's torchaudio/torchcodec wheels are CUDA builds that fail
#     to load next to CPU torch; Harken hands pyannote audio in memory and needs neither library.
COPY pyproject.toml README.md ./
COPY scripts/fix_torch_audio.py scripts/fix_torch_audio.py
RUN mkdir -p services workers migrations && touch services/__init__.py workers/__init__.py migrations/__init__.py \
    && pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0 \
    && echo 'torch==2.13.0' > /tmp/torch-pin.txt \
    && pip install -c /tmp/torch-pin.txt '.[diarization]' \
    && pip install --no-deps 'resemblyzer==0.1.4' \
    && python scripts/fix_torch_audio.py \
    && python -c 'import torch; assert not torch.version.cuda, torch.version.cuda' \
    && pip uninstall -y harken && rm /tmp/torch-pin.txt
COPY services services
COPY workers workers
COPY migrations migrations
RUN pip install --no-deps . \
    && python -c 'from workers.engines.diarization.embedded import default_weights as w; assert w().is_file(), w()' \
    && useradd --system --uid 10001 --home-dir /var/lib/harken --create-home harken

USER harken
# 8000: the Transcribe API (gateway); 9464: worker /metrics
EXPOSE 8000 9464
ENTRYPOINT ["harken"]
CMD ["gateway", "--host", "0.0.0.0", "--port", "8000"]

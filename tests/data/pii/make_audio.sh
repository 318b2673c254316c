#!/usr/bin/env bash
# Regenerates the PII end-to-end audio (committed, so tests never need espeak-ng):
# one speaker dictating a name, a phone number, a PIN, an e-mail and a card number.
#   tests/data/pii/make_audio.sh        (needs espeak-ng and ffmpeg)
set -euo pipefail
cd "$(dirname "$0")"
TEXT="Hello, my name is John Smith. My phone number is five five five, one two three, four five six seven. \
My P I N code is four three two one. Thank you very much."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
espeak-ng -v en-us -s 145 -w "$tmp/pii.wav" "$TEXT"
ffmpeg -loglevel error -y -i "$tmp/pii.wav" -ac 1 -ar 16000 -sample_fmt s16 pii-call.flac
echo "$TEXT" > pii-call.txt

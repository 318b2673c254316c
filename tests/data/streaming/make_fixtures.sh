#!/usr/bin/env bash
# Regenerates the streaming test fixtures (espeak-ng speech, 16 kHz, flac). Needs espeak-ng and sox.
# The committed files are what the tests use; this script documents how they were made.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
say() { espeak-ng -v "$1" -s 150 -w "$tmp/raw.wav" "$2"; sox "$tmp/raw.wav" -r 16000 -c 1 -b 16 "$3"; }

# Two utterances by one voice, 1.2 s apart, with silence around them.
say en-us+m3 "Hello world, this is a streaming test." "$tmp/a.wav"
say en-us+m3 "The quick brown fox jumps over the lazy dog." "$tmp/b.wav"
sox -n -r 16000 -c 1 -b 16 "$tmp/lead.wav" trim 0 0.5
sox -n -r 16000 -c 1 -b 16 "$tmp/gap.wav" trim 0 1.2
sox -n -r 16000 -c 1 -b 16 "$tmp/tail.wav" trim 0 1.0
sox "$tmp/lead.wav" "$tmp/a.wav" "$tmp/gap.wav" "$tmp/b.wav" "$tmp/tail.wav" two-utterances.flac

# Two speakers (a low male and a female voice) taking turns, mono.
say en-us+m3 "Good morning, thank you for calling the support line." "$tmp/s1.wav"
say en-us+f2 "Hi, I need some help with my order please." "$tmp/s2.wav"
sox "$tmp/lead.wav" "$tmp/s1.wav" "$tmp/gap.wav" "$tmp/s2.wav" "$tmp/tail.wav" two-speakers.flac

# Stereo call: the agent on the left channel first, then the customer on the right channel.
sox "$tmp/lead.wav" "$tmp/s1.wav" "$tmp/gap.wav" "$tmp/left.wav"
len=$(soxi -D "$tmp/left.wav")
sox -n -r 16000 -c 1 -b 16 "$tmp/silent-left.wav" trim 0 "$(soxi -D "$tmp/s2.wav")"
sox "$tmp/left.wav" "$tmp/silent-left.wav" "$tmp/tail.wav" "$tmp/ch0.wav"
sox -n -r 16000 -c 1 -b 16 "$tmp/pad.wav" trim 0 "$len"
sox "$tmp/pad.wav" "$tmp/s2.wav" "$tmp/tail.wav" "$tmp/ch1.wav"
sox -M "$tmp/ch0.wav" "$tmp/ch1.wav" stereo-call.flac

# The two-utterance clip as Ogg Opus (48 kHz, as browsers record it).
sox two-utterances.flac "$tmp/tu.wav"
ffmpeg -loglevel error -y -i "$tmp/tu.wav" -c:a libopus -b:a 32k -page_duration 100000 two-utterances.ogg

# PII: a name and a phone number, spoken.
say en-us+m3 "My name is John Smith and my phone number is five five five, one two three, four five six seven." "$tmp/p.wav"
sox "$tmp/lead.wav" "$tmp/p.wav" "$tmp/tail.wav" pii.flac

# Numbers, a time, a currency amount and a year (TranscriptFormat written vs spoken).
say en-us+m3 "The meeting starts at 10:30 and the ticket costs 50 dollars. There were 1500 people in 1981." "$tmp/n.wav"
sox "$tmp/lead.wav" "$tmp/n.wav" "$tmp/tail.wav" numbers.flac

# Three voices taking turns A B A C B C, 1.2 s apart (streaming speaker labels). Made before the
# same-speaker threshold was chosen (on a different clip of the same voices), and never tuned on.
s3=()
while IFS='|' read -r voice text; do
  n=${#s3[@]}; say "$voice" "$text" "$tmp/t$n.wav"; s3+=("$tmp/t$n.wav" "$tmp/gap.wav")
done <<'TURNS'
en-us+m3|Welcome everyone, let us start the weekly planning meeting.
en-us+f2|Thanks, I finished the report on the new warehouse yesterday.
en-us+m3|Great work. Did the budget numbers change since last month?
en-gb+m7|They went up a little because shipping costs are higher now.
en-us+f2|I can send the updated figures to everyone this afternoon.
en-gb+m7|Please include the forecast for the next quarter as well.
TURNS
sox "$tmp/lead.wav" "${s3[@]}" "$tmp/tail.wav" three-speakers.flac

# Language identification (multilingual model): a sentence in French, one in Spanish, and both in
# one stream. (espeak-ng's German is heard as English by Whisper base — en 0.61, de 0.11 — so it
# cannot test identification.)
say fr "Bonjour, je voudrais réserver une table pour quatre personnes ce soir." "$tmp/fr.wav"
say es "Buenos días, quisiera reservar una mesa para cuatro personas esta noche." "$tmp/es.wav"
for l in fr es; do sox "$tmp/lead.wav" "$tmp/$l.wav" "$tmp/tail.wav" "lang-$l.flac"; done
sox "$tmp/lead.wav" "$tmp/fr.wav" "$tmp/gap.wav" "$tmp/es.wav" "$tmp/tail.wav" lang-fr-es.flac

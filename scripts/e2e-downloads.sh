#!/usr/bin/env bash
# End-to-end download check, run by e2e/shell.test.ts against the real local service (scripts/serve.mjs) at $BASE:
# a 20 MiB file is fetched through both URL kinds whole, split into parallel ranges, resumed by
# curl and by wget, and revalidated; every result's sha256 must equal the uploaded file's.
# Prints one "ok ..." line per check and stops at the first failure.
set -euo pipefail
: "${BASE:?}" "${ADMIN:?}"

SIZE=$((20 * 1024 * 1024 + 12345)) # not a multiple of the split, so the last part is shorter
head -c "$SIZE" /dev/urandom > big.bin
WANT=$(sha256sum big.bin | cut -d' ' -f1)
same() { [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$WANT" ] || { echo "sha256 differs: $1 ($2)" >&2; exit 1; }; }

curl -sf -X POST "$BASE/v3/stacks" -H "authorization: $ADMIN" \
  -H "content-type: application/json" -d '{"stack": {"name": "Downloads"}}' -o stack.json
API_KEY=$(node -p 'require("./stack.json").stack.api_key')
TOKEN=$(node -p 'require("./stack.json").management_token.token')
curl -sf -X POST "$BASE/v3/assets?filename=big.bin" -H "api_key: $API_KEY" -H "authorization: $TOKEN" \
  -H "content-type: application/octet-stream" --data-binary @big.bin -o asset.json
[ "$(node -p 'require("./asset.json").asset.sha256')" = "$WANT" ]
UID_=$(node -p 'require("./asset.json").asset.uid')
curl -sf -X PUT "$BASE/v3/assets/$UID_" -H "api_key: $API_KEY" -H "authorization: $TOKEN" \
  -H "content-type: application/json" -d '{"asset": {"permanent_url": "big-file"}}' -o perm.json
echo "ok upload"

for KIND in url permanent_url; do
  URL=$(node -p "require('./perm.json').asset.$KIND")

  rm -f whole.bin && curl -sf "$URL" -o whole.bin && same whole.bin "$KIND whole"

  # A split download: four ranges fetched at once, then joined.
  PART=$((SIZE / 4 + 1))
  for i in 0 1 2 3; do
    FIRST=$((i * PART)); LAST=$((FIRST + PART - 1))
    curl -sf -r "$FIRST-$LAST" "$URL" -o "part$i" -w '%{http_code}\n' > "status$i" &
  done
  wait
  [ "$(cat status0 status1 status2 status3 | sort -u)" = "206" ]
  cat part0 part1 part2 part3 > split.bin && same split.bin "$KIND split"

  # curl resumes a partial file (-C -), wget continues one (-c): both must ask for and get a 206.
  head -c 7000000 big.bin > curl-resume.bin
  curl -sf -C - "$URL" -o curl-resume.bin -w '%{http_code}\n' > curl-status
  [ "$(cat curl-status)" = "206" ] && same curl-resume.bin "$KIND curl -C -"
  head -c 9000001 big.bin > wget-resume.bin
  wget -q -S -c -O wget-resume.bin "$URL" 2> wget-headers
  grep -q "206 Partial Content" wget-headers && same wget-resume.bin "$KIND wget -c"

  # Revalidation: the ETag answers 304 with no body.
  ETAG=$(curl -sfI "$URL" | tr -d '\r' | sed -n 's/^etag: //Ip')
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $ETAG" "$URL")" = "304" ]
  echo "ok $KIND"
done

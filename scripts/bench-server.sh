#!/usr/bin/env bash
# Measures the admin server's throughput on 127.0.0.1: GET list, GET one and PUT with If-Match.
#
# Builds the server (profile `server`), starts it on a free loopback port with a temporary database, creates
# 100 configurations, runs wrk against each route for BENCH_SECONDS (default 10), prints the
# requests per second and stops the server. Installs wrk with apt-get when it is missing.
#
# Environment: BENCH_SECONDS (per measurement), BENCH_CONNECTIONS (readers, default 16),
# BENCH_WRITERS (writer connections, each on its own configuration, default 4).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-16}
writers=${BENCH_WRITERS:-4}

if ! command -v wrk > /dev/null; then
  echo "wrk not found; installing it with apt-get"
  apt-get update -qq && apt-get install -y -qq wrk > /dev/null
fi
if ! command -v curl > /dev/null; then
  apt-get update -qq && apt-get install -y -qq curl > /dev/null
fi

cargo build --profile server --quiet -p oauth2-admin-server

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2> /dev/null || true
    wait "$server_pid" 2> /dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
OAUTH2_ADMIN_TOKEN=$token RUST_LOG=warn,oauth2_admin_server=info target/server/oauth2-admin-server \
  --bind 127.0.0.1:0 --database "$work/bench.sqlite3" --dist "$work/no-page" > "$work/server.log" 2>&1 &
server_pid=$!

# Port 0 lets the kernel choose a free port, and the server logs the address it listens on.
address=""
for _ in $(seq 100); do
  address=$(sed -n 's/.*listening address=\(127\.0\.0\.1:[0-9]*\).*/\1/p' "$work/server.log" | head -n 1)
  [ -n "$address" ] && break
  kill -0 "$server_pid" 2> /dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.1
done
[ -n "$address" ] || { echo "server did not start:"; cat "$work/server.log"; exit 1; }
base="http://$address/api/oauth2-configs"
echo "server listening on $address, database in $work"

config_json() {
  printf '{"name":"%s","client_id":"%s","client_secret":"bench-secret-%s","token_url":"https://auth.example.com/oauth/token","auth_url":"https://auth.example.com/oauth/authorize","scopes":["openid","profile"],"grant_type":"authorization_code"}' "$1" "$2" "$3"
}

: > "$work/ids.txt"
for n in $(seq 1 100); do
  id=$(cat /proc/sys/kernel/random/uuid)
  status=$(curl -s -o /dev/null -w '%{http_code}' -X PUT "$base/$id" \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data "$(config_json "Bench $n" "client-$n" "$n")")
  [ "$status" = 201 ] || { echo "create $n failed with status $status"; exit 1; }
  echo "$id" >> "$work/ids.txt"
done
echo "created 100 configurations"

# Lua for GET one: every request reads a random configuration.
{
  echo "local ids = {"
  sed 's/.*/  "&",/' "$work/ids.txt"
  echo "}"
  cat << 'LUA'
request = function()
  return wrk.format("GET", wrk.path .. "/" .. ids[math.random(#ids)])
end
LUA
} > "$work/get-one.lua"

# Lua for PUT: each wrk thread has one connection and updates its own configuration, sending the
# revision from the previous response's ETag (or from `current` after a 412) as If-Match.
{
  echo "local ids = {"
  sed 's/.*/  "&",/' "$work/ids.txt"
  echo "}"
  cat << 'LUA'
local next_thread = 1
setup = function(thread)
  thread:set("index", next_thread)
  next_thread = next_thread + 1
end

init = function(args)
  id = ids[index]
  revision = 1
  counter = 0
end

request = function()
  counter = counter + 1
  local body = string.format(
    '{"name":"Bench %d","client_id":"client-%d-%d","token_url":"https://auth.example.com/oauth/token",' ..
    '"auth_url":"https://auth.example.com/oauth/authorize","scopes":["openid"],"grant_type":"authorization_code"}',
    index, index, counter)
  -- Headers given here replace wrk's own, so copy the Authorization header from the command line.
  local headers = {}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  headers["Content-Type"] = "application/json"
  headers["If-Match"] = '"' .. revision .. '"'
  return wrk.format("PUT", wrk.path .. "/" .. id, headers, body)
end

response = function(status, headers, body)
  local etag = headers["etag"] or headers["ETag"]
  if status == 200 and etag then
    revision = tonumber(etag:match("%d+"))
  elseif status == 412 then
    revision = tonumber(body:match('"revision":(%d+)')) or revision
  end
end
LUA
} > "$work/put.lua"

# Runs wrk and prints one summary line: label, requests per second, p99 latency, non-2xx responses.
measure() {
  local label=$1
  shift
  local output
  output=$(wrk --latency -d "${seconds}s" -H "Authorization: Bearer $token" "$@")
  local rate failures p99
  rate=$(awk '/^Requests\/sec:/ { print $2 }' <<< "$output")
  p99=$(awk '$1 == "99%" { print $2 }' <<< "$output")
  failures=$(awk '/Non-2xx or 3xx responses:/ { print $5 }' <<< "$output")
  printf '%-34s %10s req/s   p99 %-9s non-2xx %s\n' "$label" "$rate" "$p99" "${failures:-0}"
}

echo "measuring for ${seconds}s each on $(nproc) cores"
measure "GET list (100 items, ${connections} conn)" -t 2 -c "$connections" "$base"
measure "GET one (${connections} conn)" -t 2 -c "$connections" -s "$work/get-one.lua" "$base"
measure "PUT with If-Match (${writers} conn)" -t "$writers" -c "$writers" -s "$work/put.lua" "$base"

echo "stopping the server"

-- wrk script: POST /v1/stripe/webhook with pre-signed Stripe events read from EVENTS (one delivery per
-- line: "<Stripe-Signature>\t<body>"). Thread i of n sends lines i, i+n, i+2n, …, so threads never share a
-- delivery by accident; the file's own repeats are the duplicates. Past the end a thread starts over
-- (then every delivery is a duplicate): bench/webhooks.sh makes the file longer than a run needs.
local path = os.getenv("EVENTS")
local lines = {}
for line in io.lines(path) do lines[#lines + 1] = line end

local thread_count = tonumber(os.getenv("THREADS") or "2")
local threads = {}
local counter = 0
-- A global, not a local: setup() sets it per thread with thread:set, which writes globals only.
thread_id = 0

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_id", #threads - 1)
end

function init(args)
  counter = 0
end

function request()
  local index = (thread_id + counter * thread_count) % #lines + 1
  counter = counter + 1
  local line = lines[index]
  local tab = string.find(line, "\t", 1, true)
  return wrk.format("POST", "/v1/stripe/webhook", {
    ["Content-Type"] = "application/json; charset=utf-8",
    ["Stripe-Signature"] = string.sub(line, 1, tab - 1),
  }, string.sub(line, tab + 1))
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f req_per_s=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end

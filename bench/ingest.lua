-- wrk script: POST /v1/usage_events with BATCH events per request, each request for one customer
-- (round robin over the customers file). Event ids are unique per run, thread and request, so every
-- event is new: the run measures durable, deduplicated inserts, not cheap duplicate hits.
local batch = tonumber(os.getenv("BATCH") or "100")
local token = os.getenv("TOKEN")
local run = os.getenv("RUN") or tostring(os.time())
local customers = {}
for line in io.lines(os.getenv("CUSTOMERS")) do customers[#customers + 1] = line end

local threads = {}
local counter = 0
-- A global, not a local: setup() sets it per thread with thread:set, which writes globals only.
thread_id = 0

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_id", #threads)
end

function init(args)
  counter = 0
end

function request()
  counter = counter + 1
  local customer = customers[((thread_id * 7919 + counter) % #customers) + 1]
  local now = os.time()
  local parts = {}
  for i = 1, batch do
    parts[i] = string.format(
      '{"event_id":"%s-%d-%d-%d","customer":"%s","metric":"api_calls","quantity":%d,"timestamp":%d,"properties":{"region":"r%d"}}',
      run, thread_id, counter, i, customer, (i % 5) + 1, now, i % 3)
  end
  local body = '{"events":[' .. table.concat(parts, ",") .. ']}'
  return wrk.format("POST", "/v1/usage_events", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, body)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local non2xx = summary.errors.status
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f req_per_s=%.1f events_per_s=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds, summary.requests * batch / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end

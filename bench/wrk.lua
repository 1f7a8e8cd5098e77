-- wrk script of the benchmark (bench/run.py sets the environment):
--   BENCH_PATHS   paths separated by "|", taken in turn
--   BENCH_COOKIE  the Cookie header of a logged-in session (session id and CSRF cookie)
--   BENCH_CSRF    the CSRF token, sent as X-CSRFToken (and in BENCH_BODY for a form POST)
--   BENCH_METHOD  GET (default) or POST; BENCH_BODY the url-encoded form body of a POST
--   BENCH_EXPECT  the status every response must have (200; 302 for a saved form)
-- The last line written is JSON: requests, seconds, socket errors and unexpected statuses.

local paths = {}
for path in string.gmatch(os.getenv("BENCH_PATHS") or "/", "[^|]+") do
  table.insert(paths, path)
end
local cookie = os.getenv("BENCH_COOKIE") or ""
local csrf = os.getenv("BENCH_CSRF") or ""
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local expect = tonumber(os.getenv("BENCH_EXPECT") or "200")
local threads = {}

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = offset or 0
  unexpected = 0
end

function request()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  local headers = { Cookie = cookie, ["X-CSRFToken"] = csrf }
  if body then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
  return wrk.format(method, path, headers, body)
end

function response(status, headers, response_body)
  if status ~= expect then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("unexpected")
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "socket_errors": %d, "unexpected": %d, '
      .. '"p50_ms": %.2f, "p99_ms": %.2f}\n',
    summary.requests, summary.duration / 1e6,
    errors.connect + errors.read + errors.write + errors.timeout, bad,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000
  ))
end

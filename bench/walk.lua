-- wrk script: walks a file of request paths (one a line), each thread its own stride, so every
-- request of a run is a different line; reports one JSON line at the end.
-- Usage: wrk -t2 ... -s walk.lua URL -- PATHS_FILE THREADS
local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  step = tonumber(args[2])
  i = 0
end

function request()
  local p = paths[(tid + i * step) % #paths + 1]
  i = i + 1
  return wrk.format("GET", p)
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "requests": %d, "errors": %d}\n',
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, summary.requests, errors))
end

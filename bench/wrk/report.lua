-- Shared by the scenario scripts (loaded with dofile): numbers the threads, and after wrk's own
-- report prints one line "BENCH_RESULT {json}" that scripts/bench.sh reads. Status codes are
-- counted only by scripts that define response() (it makes wrk parse every response).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

-- Hands out requests formatted once in init(), in turn, so request() costs next to nothing and
-- the ceiling's routes and the API's pay the same in wrk; threads start at different places. A
-- script sets "request = request_in_turn" when it loads (wrk calls request() only for scripts
-- that define it then) and calls serve_in_turn() at the end of init().
local in_turn, next_index = {}, 1
function serve_in_turn(prepared)
  in_turn = prepared
  next_index = (id * 7919) % #prepared + 1
end

function request_in_turn()
  local r = in_turn[next_index]
  next_index = next_index % #in_turn + 1
  return r
end

-- Called from response() hooks: counts[status] += 1 in this thread's state.
statuses = {}
function count_status(status)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    if counts then
      for code, n in pairs(counts) do
        totals[code] = (totals[code] or 0) + n
      end
    end
  end
  local parts = {}
  for code, n in pairs(totals) do
    table.insert(parts, string.format('"%d":%d', code, n))
  end
  table.sort(parts)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d,"non_2xx_3xx":%d,"statuses":{%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.timeout, e.status, table.concat(parts, ",")))
end

-- Reads the lines of a file into a table.
function read_lines(path)
  local lines = {}
  for line in io.lines(path) do
    if #line > 0 then
      table.insert(lines, line)
    end
  end
  return lines
end

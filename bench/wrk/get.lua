-- GET requests from a file, one "path<TAB>access token" per line (token optional), taken in
-- turn. The requests are formatted once in init(), so request() only picks the next one: the
-- ceiling's /db and the API's routes pay the same (small) per-request cost in wrk.
--   wrk ... -s get.lua URL -- FILE
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

local prepared = {}
local next_index = 1

function init(args)
  for _, line in ipairs(read_lines(args[1])) do
    local path, token = line:match("^([^\t]+)\t?(.*)$")
    local headers = {}
    if token ~= "" then
      headers["Authorization"] = "Bearer " .. token
    end
    table.insert(prepared, wrk.format("GET", path, headers))
  end
  -- Threads start at different places in the list.
  next_index = (id * 7919) % #prepared + 1
end

function request()
  local r = prepared[next_index]
  next_index = next_index % #prepared + 1
  return r
end

-- GET requests from a file, one "path<TAB>access token" per line (token optional), taken in
-- turn. The requests are formatted once in init(), so request() only picks the next one: the
-- ceiling's /db and the API's routes pay the same (small) per-request cost in wrk.
--   wrk ... -s get.lua URL -- FILE
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")
request = request_in_turn

function init(args)
  local prepared = {}
  for _, line in ipairs(read_lines(args[1])) do
    local path, token = line:match("^([^\t]+)\t?(.*)$")
    local headers = {}
    if token ~= "" then
      headers["Authorization"] = "Bearer " .. token
    end
    table.insert(prepared, wrk.format("GET", path, headers))
  end
  serve_in_turn(prepared)
end

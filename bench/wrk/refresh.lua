-- POST /v1/token/refresh along chains of refresh tokens: each answer's refresh_token goes back
-- into this thread's pool (a spent token sent twice would revoke its session). The file holds one
-- refresh token per line; thread i of T takes lines i, i+T, … . Needs more tokens than connections.
--   wrk ... -s refresh.lua URL -- FILE THREADS
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

local pool = {}
local headers = { ["Content-Type"] = "application/json" }

function init(args)
  local threads = tonumber(args[2])
  for i, token in ipairs(read_lines(args[1])) do
    if (i - 1) % threads == id - 1 then
      table.insert(pool, token)
    end
  end
end

function request()
  local token = table.remove(pool, 1) or "spent-pool-is-empty-000000000000000000000"
  return wrk.format("POST", "/v1/token/refresh", headers, string.format('{"refresh_token":"%s"}', token))
end

function response(status, headers, body)
  count_status(status)
  local token = body:match('"refresh_token":"([^"]+)"')
  if token then
    table.insert(pool, token)
  end
end

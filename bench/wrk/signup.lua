-- POST /v1/users/signup with new usernames: PREFIX (unique per run), the thread and a counter.
--   wrk ... -s signup.lua URL -- PREFIX REFERER_SECRET PASSWORD
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

local prefix, secret, password
local n = 0
local headers = { ["Content-Type"] = "application/json" }

function init(args)
  prefix, secret, password = args[1], args[2], args[3]
end

function request()
  n = n + 1
  local name = string.format("%s%d_%d", prefix, id, n)
  return wrk.format("POST", "/v1/users/signup", headers, string.format(
    '{"username":"%s","email":"%s@example.com","password":"%s","firstname":"Bench","referer_secret":"%s"}',
    name, name, password, secret))
end

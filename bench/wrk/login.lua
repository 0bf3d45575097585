-- POST /v1/login as the seeded users bench_0000001 … bench_<N>, in turn, with their password.
--   wrk ... -s login.lua URL -- N PASSWORD
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

-- Globals, so that storm.lua can build on this script.
users, password = 0, ""
json_headers = { ["Content-Type"] = "application/json" }
local next_user = 0

function init(args)
  users = tonumber(args[1])
  password = args[2]
  next_user = (id * 7919) % users
end

function login(user, secret)
  return wrk.format("POST", "/v1/login", json_headers,
    string.format('{"username":"bench_%07d","password":"%s"}', user, secret))
end

function request()
  next_user = next_user % users + 1
  return login(next_user, password)
end

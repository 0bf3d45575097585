-- A login storm: half the logins are right, a quarter have a wrong password, a quarter name users
-- that do not exist; every status code is counted (only 200, 401 and 429 are allowed).
--   wrk ... -s storm.lua URL -- N PASSWORD
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "login.lua")

local n = 0

function request()
  n = n + 1
  local user = (n * 7 + id * 7919) % users + 1
  local kind = n % 4
  if kind == 1 then
    return login(user, "not the password at all")
  elseif kind == 3 then
    return login(users + user, password)
  end
  return login(user, password)
end

function response(status, headers, body)
  count_status(status)
end

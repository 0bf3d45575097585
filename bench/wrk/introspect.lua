-- POST /v1/token/introspect (RFC 7662) as a resource server asks it: HTTP Basic with the bench's
-- client credential, form token=<access token>, one token per line of the file, taken in turn.
-- Formatted once in init(), like get.lua, so request() only picks the next one.
--   wrk ... -s introspect.lua URL -- FILE BASIC-CREDENTIAL
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")
request = request_in_turn

function init(args)
  local prepared = {}
  local headers = {
    ["Authorization"] = "Basic " .. args[2],
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
  for _, token in ipairs(read_lines(args[1])) do
    -- Access tokens are base64url and dots: nothing to escape in a form value.
    table.insert(prepared, wrk.format("POST", "/v1/token/introspect", headers, "token=" .. token))
  end
  serve_in_turn(prepared)
end

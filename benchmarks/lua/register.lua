-- Guest registration: each request a new person for one event.
-- Arguments (after --): the registrations path, a tag that keeps e-mails apart between runs,
-- and the phase (warm-up 0, round 1) that keeps them apart between the two.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "summary.lua")

local path, tag
local counter = 0

function init(args)
  path, tag = args[1], args[2] .. "-" .. args[#args]
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"name": "Зочин %d-%d", "email": "rush-%s-%d-%d@example.mn", "consent": true}',
    thread_number, counter, tag, thread_number, counter)
  return wrk.format("POST", path, {["Content-Type"] = "application/json"}, body)
end

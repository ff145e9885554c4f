-- Ceiling B: POST a unique JSON person to the bare app's one-INSERT endpoint.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "summary.lua")

local counter = 0

function request()
  counter = counter + 1
  local body = string.format('{"name": "Оролцогч %d-%d", "email": "bare%d-%d@example.mn"}',
    thread_number, counter, thread_number, counter)
  return wrk.format("POST", "/insert", {["Content-Type"] = "application/json"}, body)
end

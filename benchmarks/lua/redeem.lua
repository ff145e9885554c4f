-- Check-in redeem: each request a ticket not scanned before, with its own nonce.
-- Arguments (after --): a device token, a file of ticket codes (one a line), the number of
-- threads; thread n takes codes n, n + threads, n + 2 * threads, ...
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "summary.lua")

local token
local codes = {}
local step, next_index

function init(args)
  token = args[1]
  for line in io.lines(args[2]) do
    codes[#codes + 1] = line
  end
  step = tonumber(args[3])
  next_index = thread_number + 1
end

function request()
  local code = codes[next_index] or codes[1]
  next_index = next_index + step
  local body = string.format('{"code": "%s", "nonce": "wrk-%d-%d", "gate": "Гол хаалга"}',
    code, thread_number, next_index)
  return wrk.format("POST", "/api/v1/checkin",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end

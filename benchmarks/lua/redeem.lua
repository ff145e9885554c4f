-- Check-in redeem: each request a ticket not scanned before, with its own nonce.
-- Arguments (after --): a device token, a file of ticket codes (one a line), the number of
-- threads, the phase (warm-up 0: the second half of the codes; round 1: the first half);
-- thread n takes codes n, n + threads, n + 2 * threads, ... of its half.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "summary.lua")

local token
local codes = {}
local step, phase, next_index

function init(args)
  token = args[1]
  for line in io.lines(args[2]) do
    codes[#codes + 1] = line
  end
  step = tonumber(args[3])
  phase = tonumber(args[4])
  next_index = thread_number + 1 + (1 - phase) * math.floor(#codes / 2)
end

function request()
  local code = codes[next_index] or codes[1]
  next_index = next_index + step
  local body = string.format('{"code": "%s", "nonce": "wrk-%d-%d-%d", "gate": "Гол хаалга"}',
    code, phase, thread_number, next_index)
  return wrk.format("POST", "/api/v1/checkin",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end

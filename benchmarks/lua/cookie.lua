-- GET one page over and over with one Cookie header: a returning visitor's session (their
-- CSRF secret) or a signed-in person's. Arguments (after --): the cookie, then the phase.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "summary.lua")

function init(args)
  wrk.headers["Cookie"] = args[1]
end

-- wrk script for `make bench`: the request comes from the environment
-- (WRK_METHOD, WRK_BODY urlencoded, WRK_AUTH header; with WRK_ROTATE=n, each
-- request's %N% is the next of 0000 .. n-1, a card or a login's number, each
-- thread starting its round elsewhere; with WRK_RATE=n, one thread sends n
-- requests a second in all), every answer is
-- checked for HTTP 200 and "status":"ok", and done() prints one
-- machine-readable line: RESULT <req/s> <p50 ms> <p99 ms> <bad answers> <requests>
--
-- With WRK_LONG=1 (long answers), the bodies are not looked at: given a
-- response() function, wrk gathers each body into a buffer it grows 1 kB at a
-- time and hands it to Lua as a string, which for megabytes costs the client
-- more CPU than the server spends making the answer, on the same cores. Then an
-- answer is bad when its status is 400 or more, or wrk could not read or parse
-- it, or it timed out; bench.sh checks the body itself before and after the run.
local method = os.getenv("WRK_METHOD") or "GET"
local body = os.getenv("WRK_BODY")
local auth = os.getenv("WRK_AUTH")
local threads = {}

wrk.method = method
if body and body ~= "" then
	wrk.body = body
	wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
if auth and auth ~= "" then
	wrk.headers["Authorization"] = auth
end

local rotate = tonumber(os.getenv("WRK_ROTATE") or "0")
turn = 0
if rotate > 0 then
	function request()
		turn = turn + 1
		return wrk.format(nil, nil, nil,
			(string.gsub(body, "%%N%%", string.format("%04d", turn % rotate))))
	end
end

-- A steady rate whatever the answers' time: each request takes the next slot
-- of 1/n s (wrk asks delay() before each one, on any of the thread's
-- connections) and waits for it; one whose slot has passed goes at once.
local rate = tonumber(os.getenv("WRK_RATE") or "0")
if rate > 0 then
	local ffi = require("ffi")
	ffi.cdef[[
	struct wrk_timespec { long tv_sec; long tv_nsec; };
	int clock_gettime(int clock, struct wrk_timespec *ts);
	]]
	local ts = ffi.new("struct wrk_timespec")
	local slot
	function delay()
		ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
		local now = tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
		slot = slot and slot + 1000 / rate or now
		return math.max(0, math.floor(slot - now))
	end
end

function setup(thread)
	table.insert(threads, thread)
	thread:set("turn", #threads * math.floor(rotate / 2))
end

function init(args)
	bad = 0
end

local long = os.getenv("WRK_LONG") == "1"
if not long then
	function response(status, headers, body)
		if status ~= 200 or not string.find(body, '"status":"ok"', 1, true) then
			bad = bad + 1
		end
	end
end

function done(summary, latency, requests)
	local e = summary.errors
	local b = e.connect + e.read + e.write + e.timeout
	if long then
		b = b + e.status
	end
	for _, t in ipairs(threads) do
		b = b + t:get("bad")
	end
	io.write(string.format("RESULT %.1f %.3f %.3f %d %d\n",
		summary.requests / (summary.duration / 1e6),
		latency:percentile(50) / 1000, latency:percentile(99) / 1000, b, summary.requests))
end

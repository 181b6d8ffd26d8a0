-- Nobody knows whether an attempt sent: its hold lasts longer and the attempt record says so (its start
-- kept), in one step with the hold so the next attempt sees both.
-- KEYS[1]: the content's holds (a sorted set of send tokens scored by when their hold ends)
-- KEYS[2]: the send's attempt record (JSON: startedAt, unknown)
-- ARGV[1]: now, in ms since the epoch
-- ARGV[2]: how long the hold lasts, in ms
-- ARGV[3]: the send's token
-- ARGV[4]: the attempt record's time to live in s
-- returns: 1
redis.call('zadd', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), ARGV[3])
if redis.call('pttl', KEYS[1]) < tonumber(ARGV[2]) + 60000 then redis.call('pexpire', KEYS[1], tonumber(ARGV[2]) + 60000) end
local a = redis.call('get', KEYS[2])
local rec = a and cjson.decode(a) or {startedAt = tonumber(ARGV[1])}
rec.unknown = true
redis.call('set', KEYS[2], cjson.encode(rec), 'EX', ARGV[4])
return 1

-- A send is about to be made: holds back fromMe messages with its content and returns the send's attempt
-- record (created by its first attempt), in one step so every attempt of a send sees the first one's start.
-- KEYS[1]: the content's holds (a sorted set of send tokens scored by when their hold ends)
-- KEYS[2]: the send's attempt record (JSON: startedAt, unknown)
-- ARGV[1]: now, in ms since the epoch
-- ARGV[2]: how long the hold lasts, in ms
-- ARGV[3]: the send's token (the same for every attempt of one message)
-- ARGV[4]: the attempt record's time to live in s
-- returns: the attempt record (JSON)
redis.call('zadd', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]), ARGV[3])
if redis.call('pttl', KEYS[1]) < tonumber(ARGV[2]) + 60000 then redis.call('pexpire', KEYS[1], tonumber(ARGV[2]) + 60000) end
local a = redis.call('get', KEYS[2])
if a then return a end
a = cjson.encode({startedAt = tonumber(ARGV[1]), unknown = false})
redis.call('set', KEYS[2], a, 'EX', ARGV[4])
return a

-- Starts a drain: clears the wake key, honours a scheduled retry, takes the lane's lock (as lock.lua's
-- acquire, with a fresh token) and reads the head, in one step so the first item comes with the lock.
-- KEYS[1]: the lane's lock
-- KEYS[2]: the lane's retry time (ms since the epoch; the lane waits until then)
-- KEYS[3]: the lane's wake key
-- KEYS[4]: the lane
-- ARGV[1]: the drainer's token
-- ARGV[2]: the lock's time to live in ms
-- ARGV[3]: now, in ms since the epoch
-- returns: {1, head or false} the lane is ours; 0 a retry is scheduled later (its delayed wake-up drains it); -1 another worker holds it
redis.call('del', KEYS[3])
if tonumber(redis.call('get', KEYS[2]) or '0') > tonumber(ARGV[3]) then return 0 end
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1, redis.call('lindex', KEYS[4], 0)} end
return -1

-- Pops the head only if it is still the item worked on and the lane's lock is still ours, and returns the
-- next head in the same step (a round trip fewer per message). An emptied lane is let go here too (a push
-- after it finds no lock and wakes the lane itself), sparing most drains the lane-end-drain round trip.
-- KEYS[1]: the lane
-- KEYS[2]: the lane's lock
-- KEYS[3]: the queue's attempts hash (item id -> failed attempts)
-- KEYS[4]: the set of lanes with items
-- ARGV[1]: the drainer's token
-- ARGV[2]: the item worked on (JSON, as pushed)
-- ARGV[3]: its id
-- ARGV[4]: the lane's name (member of KEYS[4])
-- returns: {1, next head or false} popped; 0 the head is another item; -1 the lock is no longer ours
if redis.call('get', KEYS[2]) ~= ARGV[1] then return -1 end
if redis.call('lindex', KEYS[1], 0) ~= ARGV[2] then return 0 end
redis.call('lpop', KEYS[1])
redis.call('hdel', KEYS[3], ARGV[3])
local nxt = redis.call('lindex', KEYS[1], 0)
if not nxt then
  redis.call('srem', KEYS[4], ARGV[4])
  redis.call('del', KEYS[2])
end
return {1, nxt}

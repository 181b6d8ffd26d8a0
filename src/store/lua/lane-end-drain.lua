-- Ends a drain: lets the lane's lock go if it is still ours (as lock.lua's release) and counts the items
-- left, in one step: an item pushed after the drainer's last look found the lane locked and sent no
-- wake-up, so the drainer must.
-- KEYS[1]: the lane's lock
-- KEYS[2]: the lane
-- ARGV[1]: the drainer's token
-- returns: the number of items in the lane
if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end
return redis.call('llen', KEYS[2])

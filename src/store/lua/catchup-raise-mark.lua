-- Raises a chat's catch-up mark, never lowers it: the compare and the write in one step, since marks of
-- several daemons (or a late batch) may arrive out of order.
-- KEYS[1]: the session's marks (Keys.lastSeen): chat id -> unix s of its newest relayed message
-- ARGV[1]: the chat id
-- ARGV[2]: the new mark, unix s
-- returns: 1
local cur = tonumber(redis.call('hget', KEYS[1], ARGV[1]) or '0')
if tonumber(ARGV[2]) > cur then redis.call('hset', KEYS[1], ARGV[1], ARGV[2]) end
return 1

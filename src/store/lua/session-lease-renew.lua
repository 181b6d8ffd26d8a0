-- Renews a session's lease by token: one that expired and went to another daemon is never touched.
-- KEYS[1]: the session's lease (Keys.sessionLease)
-- KEYS[2]: the move asked for the session, if any (Keys.sessionMove)
-- ARGV[1]: this daemon's id
-- ARGV[2]: the lease ttl in ms
-- returns: 1 renewed | 0 not ours any more | {'moving', target daemon}: renewed, but a move asks this
--   daemon to stop the session and give the lease back
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local target = redis.call('GET', KEYS[2])
if target ~= false and target ~= ARGV[1] then return {'moving', target} end
return 1

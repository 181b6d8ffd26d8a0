-- Gives a session's lease back, only if it is still ours.
-- KEYS[1]: the session's lease (Keys.sessionLease)
-- ARGV[1]: this daemon's id
-- returns: 1 released | 0 it was not ours
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0

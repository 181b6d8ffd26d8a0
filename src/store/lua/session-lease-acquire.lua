-- Takes a session's lease when it is free or already ours (a daemon restarted under the same id takes
-- its sessions back at once instead of waiting out its own old lease), unless a move reserved it for
-- another daemon or the session's login is on storage this daemon cannot see.
-- KEYS[1]: the session's lease (Keys.sessionLease)
-- KEYS[2]: the move asked for the session, if any (Keys.sessionMove)
-- KEYS[3]: the storage holding the session's login, if it was paired (Keys.sessionStorage)
-- ARGV[1]: this daemon's id
-- ARGV[2]: the lease ttl in ms
-- ARGV[3]: the storage id this daemon sees (its sessionStore.dir)
-- returns: {'acquired', daemon id} | {'taken', owner, ms until the lease runs out} | {'moving', target daemon} | {'unseen', storage id}
local owner = redis.call('GET', KEYS[1])
if owner ~= false and owner ~= ARGV[1] then return {'taken', owner, redis.call('PTTL', KEYS[1])} end
local target = redis.call('GET', KEYS[2])
if target ~= false and target ~= ARGV[1] then return {'moving', target} end
local storage = redis.call('GET', KEYS[3])
if storage ~= false and storage ~= ARGV[3] then return {'unseen', storage} end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if target ~= false then redis.call('DEL', KEYS[2]) end
return {'acquired', ARGV[1]}

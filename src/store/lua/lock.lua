-- A lock held by a token: taken when free (or already the token's), extended and let go only by its
-- holder, in one step each so a lock that expired and went to another holder is never touched.
-- KEYS[1]: the lock (its value is the holder's token)
-- ARGV[1]: 'acquire', 'extend' or 'release'
-- ARGV[2]: the holder's token
-- ARGV[3]: time to live in ms (acquire, extend)
-- returns: 1 done; 0 the lock is another holder's (extend, release: or nobody's)
local holder = redis.call('get', KEYS[1])
if ARGV[1] == 'acquire' then
  if holder == false or holder == ARGV[2] then
    redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[3])
    return 1
  end
  return 0
end
if holder ~= ARGV[2] then return 0 end
if ARGV[1] == 'extend' then return redis.call('pexpire', KEYS[1], ARGV[3]) end
if ARGV[1] == 'release' then return redis.call('del', KEYS[1]) end
return redis.error_reply('lock.lua: unknown operation ' .. tostring(ARGV[1]))

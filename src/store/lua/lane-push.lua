-- Appends an item to a lane with its mark and guards, and tells whether a wake-up must be sent, in one
-- step: a push racing a drain's end either finds the lane locked (the drainer sees the item) or wakes it.
-- No wake-up when a worker holds the lane (it sees the item before it lets go), nor when one is already
-- on its way (the wake key, cleared when a drain starts): in a burst this spares a queue job per message.
-- KEYS[1]: the lane (a list of items, head first)
-- KEYS[2]: the set of lanes with items (the sweeper's list)
-- KEYS[3]: the lane's lock
-- KEYS[4]: the lane's wake key (a wake-up is on its way)
-- KEYS[5]: the mark to set with the item (set only if absent); the wake key again when there is none
-- KEYS[6 .. 5+ARGV[6]]: unless keys: when one exists the item needs no work (nothing pushed, mark set)
-- KEYS[6+ARGV[6] ..]: guard keys: when one exists nothing is pushed; else they are set with the item
-- ARGV[1]: the item (JSON)
-- ARGV[2]: the lane's name (member of KEYS[2])
-- ARGV[3]: the mark's time to live in s, '' for no mark
-- ARGV[4]: the wake key's time to live in ms (a wake-up that failed to save is then the sweeper's)
-- ARGV[5]: the guard keys' time to live in s
-- ARGV[6]: how many unless keys there are
-- returns: 1 pushed, wake the lane; 0 pushed, no wake-up needed; -1 a guard key exists; -2 an unless key exists
local guards = 6 + tonumber(ARGV[6])
for i = 6, guards - 1 do
  if redis.call('exists', KEYS[i]) == 1 then
    if ARGV[3] ~= '' then redis.call('set', KEYS[5], '1', 'EX', ARGV[3], 'NX') end
    return -2
  end
end
for i = guards, #KEYS do if redis.call('exists', KEYS[i]) == 1 then return -1 end end
for i = guards, #KEYS do redis.call('set', KEYS[i], '1', 'EX', ARGV[5]) end
redis.call('rpush', KEYS[1], ARGV[1])
redis.call('sadd', KEYS[2], ARGV[2])
if ARGV[3] ~= '' then redis.call('set', KEYS[5], '1', 'EX', ARGV[3], 'NX') end
if redis.call('exists', KEYS[3]) == 1 then return 0 end
if redis.call('set', KEYS[4], '1', 'NX', 'PX', ARGV[4]) then return 1 end
return 0

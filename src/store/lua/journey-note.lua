-- Appends a step to a message's journey, capped and expiring, links it to the other side's id and indexes
-- it under its chat, in one command: the relays note steps on the path of every message, where each
-- extra command is Redis work and each extra write a system call.
-- KEYS[1]: the journey's steps (Keys.journey): a list of JSON steps, oldest first
-- KEYS[2]: the journey's links (Keys.journeyLinks): the other side's journeys
-- KEYS[3]: the other side's links (Keys.journeyLinks of ARGV[6]; unused when ARGV[6] is empty)
-- KEYS[4 ..]: the chat indexes to list the journey in (Keys.journeyChat): journey -> time of its last step
-- ARGV[1]: the step, JSON
-- ARGV[2]: steps kept per journey (the oldest go first)
-- ARGV[3]: retention, ms after the last step (every key here expires then)
-- ARGV[4]: now, epoch ms
-- ARGV[5]: this journey as the links and indexes name it (`wa:<id>`, `cw:<id>`)
-- ARGV[6]: the other side's journey to link with (`cw:<id>`, `wa:<id>`), or empty
-- ARGV[7]: journeys kept per chat index (the least recent go first)
-- returns: 1
local ttl = tonumber(ARGV[3])
local max = tonumber(ARGV[2])
if redis.call('rpush', KEYS[1], ARGV[1]) > max then redis.call('ltrim', KEYS[1], -max, -1) end
redis.call('pexpire', KEYS[1], ttl)
if ARGV[6] ~= '' then
  redis.call('sadd', KEYS[2], ARGV[6])
  redis.call('pexpire', KEYS[2], ttl)
  redis.call('sadd', KEYS[3], ARGV[5])
  redis.call('pexpire', KEYS[3], ttl)
end
local cap = tonumber(ARGV[7])
-- Journeys past the retention leave by rank (the least recent first) or with the whole index; find skips
-- the ones whose steps expired meanwhile.
for i = 4, #KEYS do
  redis.call('zadd', KEYS[i], ARGV[4], ARGV[5])
  redis.call('zremrangebyrank', KEYS[i], 0, -(cap + 1))
  redis.call('pexpire', KEYS[i], ttl)
end
return 1

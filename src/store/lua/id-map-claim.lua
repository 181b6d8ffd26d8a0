-- The dedupe check and the in-flight mark of a create, in one round trip and one step: two attempts at
-- once cannot both see themselves first.
-- {{KNOWN}}: the taken-in mark (id-map-codec.ts KNOWN), filled in by luaScript
-- KEYS[1]: the WhatsApp side (Keys.waToCw)
-- KEYS[2]: the id's in-flight mark (Keys.inflight)
-- ARGV[1]: now, in ms since the epoch (the mark's value)
-- ARGV[2]: the in-flight mark's time to live in s
-- returns: the mapping when there is one; else 1 this attempt is the first, 0 an earlier attempt may have created it
local v = redis.call('get', KEYS[1])
if v and v ~= '{{KNOWN}}' then return v end
if redis.call('set', KEYS[2], ARGV[1], 'EX', ARGV[2], 'NX') then return 1 end
return 0

-- Marks a WhatsApp id handled without a counterpart, unless a relayed mapping is there (our own send's
-- echo handled just after the send recorded its real mapping keeps that): the check and the write in one
-- step, so a mapping written in between is never overwritten.
-- {{KNOWN}}: the taken-in mark (id-map-codec.ts KNOWN), filled in by luaScript
-- KEYS[1]: the WhatsApp side (Keys.waToCw)
-- KEYS[2]: the id's in-flight mark (Keys.inflight), dropped: nothing was created
-- ARGV[1]: the retention in s
-- returns: 1
local v = redis.call('get', KEYS[1])
if not v or v == '{{KNOWN}}' then redis.call('set', KEYS[1], 'h', 'EX', ARGV[1]) end
redis.call('del', KEYS[2])
return 1

-- Records a relayed message both ways and drops the marks the relay no longer needs, in one step: atomic
-- (never one side without the other), and one command on the path of every message.
-- KEYS[1]: the WhatsApp side (Keys.waToCw): WhatsApp id -> Chatwoot message
-- KEYS[2]: the Chatwoot side (Keys.cwBucket): a hash of a hundred Chatwoot ids, its expiry following its newest write
-- KEYS[3 ..]: keys to delete: the in-flight marks of both ids, the taken-in mark of the Chatwoot id,
--   and any the caller forgets with it (a multi-part message's cursors)
-- ARGV[1]: the Chatwoot message, encoded (id-map-codec.ts)
-- ARGV[2]: the Chatwoot message id (the bucket's field)
-- ARGV[3]: the WhatsApp message, encoded (id-map-codec.ts)
-- ARGV[4]: the retention in s
-- ARGV[5]: how often in s at most the bucket's expiry is pushed back
-- returns: 1
redis.call('set', KEYS[1], ARGV[1], 'EX', ARGV[4])
redis.call('hset', KEYS[2], ARGV[2], ARGV[3])
if redis.call('ttl', KEYS[2]) < tonumber(ARGV[4]) - tonumber(ARGV[5]) then redis.call('expire', KEYS[2], ARGV[4]) end
redis.call('del', unpack(KEYS, 3))
return 1

-- A send went out (or was found in the chat): the WhatsApp id is this send's, its hold and its attempt
-- record go. One script, not MULTI, so it rides in the same write as the caller's own (auto-pipelining
-- batches scripts, not MULTI blocks).
-- KEYS[1]: the WhatsApp id's owner (the sent key: an echo arriving after it needs no work)
-- KEYS[2]: the content's holds
-- KEYS[3]: the send's attempt record
-- ARGV[1]: the send's token
-- ARGV[2]: the sent key's time to live in s
-- returns: 1
redis.call('set', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('zrem', KEYS[2], ARGV[1])
redis.call('del', KEYS[3])
return 1

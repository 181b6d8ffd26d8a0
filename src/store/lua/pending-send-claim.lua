-- A message found in the chat becomes this send's, unless another send has it already: the check and the
-- write in one step, so two sends never both take it.
-- KEYS[1]: the WhatsApp id's owner (the sent key)
-- ARGV[1]: the send's token
-- ARGV[2]: the sent key's time to live in s
-- returns: 1 the message is this send's; 0 another send has it
local owner = redis.call('get', KEYS[1])
if owner and owner ~= ARGV[1] then return 0 end
redis.call('set', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1

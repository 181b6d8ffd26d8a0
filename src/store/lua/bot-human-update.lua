-- Rewrites the human mark of a chat only while it is the same one (its `at`), in one step: a mark cleared
-- or replaced meanwhile (a resume, the conversation resolved) is never brought back.
-- KEYS[1]: the chat's human mark (Keys.botHuman), JSON with its `at`
-- ARGV[1]: the `at` of the mark being rewritten
-- ARGV[2]: the new mark (JSON)
-- ARGV[3]: its time to live in s
-- returns: 1 rewritten; 0 the mark is gone or another one
local raw = redis.call('get', KEYS[1])
if not raw then return 0 end
local ok, mark = pcall(cjson.decode, raw)
if not ok or mark.at ~= tonumber(ARGV[1]) then return 0 end
redis.call('set', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1

-- Creates a registration and its index entry in one step: a crash between two commands would leave a
-- registration that `ponte registrations` never lists.
-- KEYS[1]: the registration (Keys.registration)
-- KEYS[2]: the index (Keys.registrationIndex): ids scored by creation time
-- ARGV[1]: the record (JSON)
-- ARGV[2]: its creation time, in ms since the epoch
-- ARGV[3]: its id
-- returns: 1 created; 0 a registration with this id exists already
if not redis.call('set', KEYS[1], ARGV[1], 'NX') then return 0 end
redis.call('zadd', KEYS[2], ARGV[2], ARGV[3])
return 1

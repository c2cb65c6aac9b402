/**
 * The Redis Lua lease claim: what a team would write on Redis instead of
 * baton. Keys under one prefix:
 *
 *   ready     sorted set of ready task ids (score = order of arrival)
 *   expiry    sorted set of leased task ids by lease expiry (ms)
 *   lease:ID  hash: holder, token
 *   token     counter of lease tokens (fencing)
 *   done      hash: task id → completions (the exactly-once check reads it)
 *
 * claim: one script returns an expired lease's task to ready (as baton's claim
 * does), pops the next ready id and records holder + token + expiry.
 * complete: one script checks holder and token, deletes the lease and counts
 * the completion. Both atomic: Redis runs one script at a time.
 */

export const CLAIM = `
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', nowMs, 'LIMIT', 0, 1)
if #expired > 0 then
  redis.call('ZREM', KEYS[2], expired[1])
  redis.call('DEL', ARGV[3] .. expired[1])
  redis.call('ZADD', KEYS[1], 0, expired[1])
end
local next = redis.call('ZPOPMIN', KEYS[1])
if #next == 0 then return false end
local id = next[1]
local token = redis.call('INCR', KEYS[3])
redis.call('HSET', ARGV[3] .. id, 'holder', ARGV[1], 'token', token)
redis.call('ZADD', KEYS[2], nowMs + tonumber(ARGV[2]), id)
return {id, token}
`;

export const COMPLETE = `
local lease = ARGV[3] .. ARGV[1]
local held = redis.call('HMGET', lease, 'holder', 'token')
if held[1] ~= ARGV[2] or held[2] ~= ARGV[4] then
  return redis.error_reply('LEASE_LOST ' .. ARGV[1] .. ' is not held by ' .. ARGV[2] .. ' with token ' .. ARGV[4])
end
redis.call('DEL', lease)
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
return 1
`;

/** Registers the two scripts on an ioredis client (EVALSHA, loaded once). */
export function defineLeaseCommands(redis, prefix) {
  redis.defineCommand("leaseClaim", { numberOfKeys: 3, lua: CLAIM });
  redis.defineCommand("leaseComplete", { numberOfKeys: 2, lua: COMPLETE });
  const keys = {
    ready: `${prefix}ready`,
    expiry: `${prefix}expiry`,
    token: `${prefix}token`,
    done: `${prefix}done`,
    lease: `${prefix}lease:`,
  };
  return {
    keys,
    claim: (holder, ttlMs) =>
      redis.leaseClaim(keys.ready, keys.expiry, keys.token, holder, ttlMs, keys.lease),
    complete: (id, holder, token) =>
      redis.leaseComplete(keys.expiry, keys.done, id, holder, keys.lease, String(token)),
  };
}

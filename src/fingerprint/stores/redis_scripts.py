"""The Lua scripts the shared index runs on the Redis server: each reads or changes the index's
keys in one step that no other client interleaves with (docs/shared-index.md)."""

#: KEYS: meta. ARGV: the meta fields of a new index, as field, value pairs.
#: Creates the meta hash when there is none; returns the meta hash as it is.
OPEN = """
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], unpack(ARGV))
end
return redis.call('HGETALL', KEYS[1])
"""

#: KEYS: meta, head, log. ARGV: the first log id to read, how many entries at most.
#: Returns the index's epoch, its head (op number and tag) and the log entries from that id on,
#: all at one instant.
READ = """
return {
  redis.call('HGET', KEYS[1], 'epoch') or false,
  redis.call('HMGET', KEYS[2], 'n', 'tag'),
  redis.call('XRANGE', KEYS[3], ARGV[1], '+', 'COUNT', ARGV[2]),
}
"""

#: KEYS: meta, head, log, ids, docs, graves, lock, held, snapshot.
#: ARGV: epoch, the op number and tag the writer is up to date with, the new entry's tag, the
#: writer's lock token, the entry's operations (MessagePack), a held report's path and value
#: ('' for none), then one triple per change in order: 'a', doc_id, record (added), 'r', doc_id,
#: '' (removed) or 'u', doc_id, record (its record rewritten, if it is there).
#: Appends one entry to the log if the writer is up to date and no id added is taken; changes
#: nothing otherwise. Returns {'ok', n, documents added since the last snapshot, documents} or
#: {'done', n} (this entry went in already: a retried call), {'behind', n}, {'taken', doc_id},
#: {'reset'} (the index was deleted or made again).
COMMIT = """
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return {'reset'} end
local head = redis.call('HMGET', KEYS[2], 'n', 'tag')
local n = tonumber(head[1]) or 0
local tag = head[2] or ''
if n == tonumber(ARGV[2]) + 1 and tag == ARGV[4] then return {'done', n} end
if n ~= tonumber(ARGV[2]) or tag ~= ARGV[3] then return {'behind', n} end
local live = {}
for i = 9, #ARGV, 3 do
  local id = ARGV[i + 1]
  if live[id] == nil then live[id] = redis.call('HEXISTS', KEYS[4], id) == 1 end
  if ARGV[i] == 'a' then
    if live[id] then return {'taken', id} end
    live[id] = true
  elseif ARGV[i] == 'r' then
    live[id] = false
  end
end
local new = n + 1
local added = 0
for i = 9, #ARGV, 3 do
  local id = ARGV[i + 1]
  if ARGV[i] == 'a' then
    redis.call('HSET', KEYS[4], id, new)
    redis.call('HSET', KEYS[5], new .. ':' .. id, ARGV[i + 2])
    added = added + 1
  elseif ARGV[i] == 'u' then
    local at = redis.call('HGET', KEYS[4], id)
    if at then redis.call('HSET', KEYS[5], at .. ':' .. id, ARGV[i + 2]) end
  else
    local at = redis.call('HGET', KEYS[4], id)
    if at then
      redis.call('HDEL', KEYS[4], id)
      redis.call('ZADD', KEYS[6], new, at .. ':' .. id)
    end
  end
end
redis.call('XADD', KEYS[3], new .. '-0', 'prev', tag, 'tag', ARGV[4], 'ops', ARGV[6])
redis.call('HSET', KEYS[2], 'n', new, 'tag', ARGV[4])
if ARGV[7] ~= '' then redis.call('HSET', KEYS[8], ARGV[7], ARGV[8]) end
if redis.call('GET', KEYS[7]) == ARGV[5] then redis.call('DEL', KEYS[7]) end
local since = redis.call('HINCRBY', KEYS[9], 'added', added)
return {'ok', new, since, redis.call('HLEN', KEYS[4])}
"""

#: KEYS: lock. ARGV: token. Releases the lock if this token still holds it.
RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

#: KEYS: snapshot, log, docs, graves, the new snapshot's key. ARGV: its op number and tag.
#: Publishes a snapshot newer than the current one. The current one becomes the previous one
#: (a worker may be reading it); the one before is deleted, and with it the log up to the
#: current one and the records of documents removed by then, which no reader needs any more.
PUBLISH = """
local now = redis.call('HMGET', KEYS[1], 'n', 'key', 'previous')
local n = tonumber(now[1]) or 0
if tonumber(ARGV[1]) <= n then
  redis.call('DEL', KEYS[5])
  return 0
end
if now[3] and now[3] ~= '' then redis.call('DEL', now[3]) end
if n > 0 then
  redis.call('XTRIM', KEYS[2], 'MINID', (n + 1) .. '-0')
  local graves = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', n)
  for i = 1, #graves, 1000 do
    redis.call('HDEL', KEYS[3], unpack(graves, i, math.min(i + 999, #graves)))
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', n)
end
redis.call('HSET', KEYS[1], 'n', ARGV[1], 'tag', ARGV[2], 'key', KEYS[5],
  'previous', now[2] or '', 'added', 0)
return 1
"""

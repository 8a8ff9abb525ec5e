-- The storefront mix (Storefront.java) for wrk's closed loop. wrk runs one connection per thread
-- (-t = -c), so each thread's one request in flight is `current` and its answer is unambiguous.
-- Four tenants place orders and move them PENDING -> PROCESSING -> SHIPPED -> DELIVERED (60 % new
-- orders, 40 % status changes of orders whose last command was answered 200/201); a fifth of all
-- requests re-send a recent request with the same key and body. Each thread writes what it sent
-- (S lines) and was told (R lines) to <dir>/wrk-<id>.log, which the bench reads into its
-- Storefront for the audit. Arguments: run-id dir tenant=token ...

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

local PATH = { "PENDING", "PROCESSING", "SHIPPED", "DELIVERED" }
local DUPLICATES, STATUS_CHANGES, RECENT = 0.20, 0.40, 2048
local tenants, tokens, idle = {}, {}, {}
local recent, recent_count = {}, 0
local sequence = 0
local current, current_first = nil, false
local log, run

function init(args)
  run = args[1]
  for i = 3, #args do
    local tenant, token = args[i]:match("([^=]+)=(.+)")
    tenants[#tenants + 1] = tenant
    tokens[tenant] = token
    idle[tenant] = { head = 1, tail = 0 }
  end
  math.randomseed(id * 7919 + os.time())
  log = io.open(args[2] .. "/wrk-" .. id .. ".log", "w")
  log:setvbuf("full", 65536) -- flushed when wrk exits
end

local function uuid()
  return string.format("%08x-%04x-4%03x-%04x-%06x%06x", math.random(0, 0xffffffff), math.random(0, 0xffff),
    math.random(0, 0xfff), math.random(0x8000, 0xbfff), math.random(0, 0xffffff), math.random(0, 0xffffff))
end

local function new_request(tenant, method, path, body, order_id, step)
  sequence = sequence + 1
  local r = { tenant = tenant, key = "bench-" .. run .. "-w" .. id .. "-" .. sequence, method = method,
    path = path, body = body, order_id = order_id, step = step }
  r.wire = wrk.format(method, path, { ["Authorization"] = "Bearer " .. tokens[tenant],
    ["Content-Type"] = "application/json", ["Idempotency-Key"] = r.key }, body)
  return r
end

function request()
  local r, duplicate = nil, false
  if recent_count > 0 and math.random() < DUPLICATES then
    r = recent[math.random(1, math.min(recent_count, RECENT))]
    duplicate = true
  else
    local tenant = tenants[math.random(1, #tenants)]
    if math.random() < STATUS_CHANGES then
      local queue = idle[tenant]
      if queue.head <= queue.tail then
        local order = queue[queue.head]
        queue[queue.head] = nil
        queue.head = queue.head + 1
        local step = order.step + 1
        r = new_request(tenant, "PUT", "/api/v1/orders/" .. order.order_id .. "/status",
          '{"status":"' .. PATH[step + 1] .. '","reason":"bench"}', order.order_id, step)
      end
    end
    if r == nil then
      local order_id = uuid()
      r = new_request(tenant, "POST", "/api/v1/orders", '{"orderId":"' .. order_id .. '","customerId":"c-'
        .. math.random(0, 9999) .. '","currency":"EUR","lines":[{"sku":"SKU-' .. math.random(0, 499)
        .. '","quantity":' .. math.random(1, 3) .. ',"unitPriceMinor":' .. math.random(100, 9999)
        .. '},{"sku":"GIFT-WRAP","quantity":1,"unitPriceMinor":250}]}', order_id, 0)
    end
    recent[recent_count % RECENT + 1] = r
    recent_count = recent_count + 1
  end
  current, current_first = r, not duplicate
  log:write("S\t", r.key, "\t", duplicate and "1" or "0", "\t", r.tenant, "\t", r.method, "\t", r.path, "\t",
    r.order_id, "\t", r.step, "\t", r.body, "\n")
  return r.wire
end

function response(status, headers, body)
  local r = current
  if r == nil then
    return
  end
  current = nil
  local replayed = "0"
  for name, _ in pairs(headers) do -- header names as the server spelt them
    if name:lower() == "idempotent-replayed" then
      replayed = "1"
    end
  end
  log:write("R\t", r.key, "\t", status, "\t", replayed, "\n")
  if current_first and (status == 200 or status == 201) and r.step + 1 < #PATH then
    local queue = idle[r.tenant]
    queue.tail = queue.tail + 1
    queue[queue.tail] = { order_id = r.order_id, step = r.step }
  end
end

function done(summary, latency, requests)
  io.write(string.format("WRK\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", summary.duration, summary.requests,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
end

-- Benchmark (never used for training): binary trees, n-body steps and a word-frequency pass.
local function bottom_up(depth)
  if depth == 0 then return {} end
  depth = depth - 1
  return {bottom_up(depth), bottom_up(depth)}
end
local function check(tree)
  if tree[1] then return 1 + check(tree[1]) + check(tree[2]) end
  return 1
end
local nodes = 0
for d = 4, 14, 2 do
  for _ = 1, 2 ^ (16 - d) do nodes = nodes + check(bottom_up(d)) end
end
print("nodes", nodes)

local bodies = {}
for i = 1, 5 do bodies[i] = {x = i, y = i * 0.5, z = -i, vx = 0, vy = 0, vz = 0, mass = 1 + i / 10} end
local function advance(dt)
  for i = 1, #bodies do
    local bi = bodies[i]
    for j = i + 1, #bodies do
      local bj = bodies[j]
      local dx, dy, dz = bi.x - bj.x, bi.y - bj.y, bi.z - bj.z
      local d2 = dx * dx + dy * dy + dz * dz
      local mag = dt / (d2 * math.sqrt(d2))
      bi.vx = bi.vx - dx * bj.mass * mag; bj.vx = bj.vx + dx * bi.mass * mag
      bi.vy = bi.vy - dy * bj.mass * mag; bj.vy = bj.vy + dy * bi.mass * mag
      bi.vz = bi.vz - dz * bj.mass * mag; bj.vz = bj.vz + dz * bi.mass * mag
    end
  end
  for i = 1, #bodies do
    local b = bodies[i]
    b.x = b.x + dt * b.vx; b.y = b.y + dt * b.vy; b.z = b.z + dt * b.vz
  end
end
for _ = 1, 100000 do advance(0.01) end
print(string.format("x1 %.9f", bodies[1].x))

local freq = {}
local line = "the quick brown fox jumps over the lazy dog while the cat sleeps"
for i = 1, 4000 do
  for w in (line .. " " .. i % 13):gmatch("%S+") do freq[w] = (freq[w] or 0) + 1 end
end
print("the", freq.the, "fox", freq.fox)

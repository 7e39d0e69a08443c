-- Training: integer and float arithmetic in loops, recursion, and table.sort with a comparator.
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(27))
local primes, n = {}, 0
local sieve = {}
for i = 2, 300000 do
  if not sieve[i] then n = n + 1; primes[n] = i; for j = i * i, 300000, i do sieve[j] = true end end
end
print(n)
local xs = {}
local seed = 42
for i = 1, 60000 do seed = (seed * 1103515245 + 12345) % 2147483648; xs[i] = seed / 2147483648 end
table.sort(xs, function(a, b) return a > b end)
local acc = 0.0
for i = 1, #xs do acc = acc + math.sqrt(xs[i]) * math.sin(i) end
print(string.format("%.6f", acc))

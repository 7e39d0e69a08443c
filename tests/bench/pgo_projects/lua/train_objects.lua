-- Training: tables as objects, method calls, closures and string keys (not the benchmark's mix).
local Account = {}
Account.__index = Account
function Account.new(name) return setmetatable({name = name, balance = 0, log = {}}, Account) end
function Account:deposit(v) self.balance = self.balance + v; self.log[#self.log + 1] = v end
function Account:withdraw(v)
  if v > self.balance then return false end
  self.balance = self.balance - v
  self.log[#self.log + 1] = -v
  return true
end
local accounts = {}
for i = 1, 200 do accounts[i] = Account.new("acct" .. i) end
local total = 0
for round = 1, 3000 do
  for i = 1, #accounts do
    local a = accounts[i]
    a:deposit((round * i) % 97)
    if not a:withdraw((round + i) % 53) then total = total + 1 end
  end
  if round % 100 == 0 then for i = 1, #accounts do accounts[i].log = {} end end
end
local sum = 0
for _, a in ipairs(accounts) do sum = sum + a.balance end
print("refused", total, "sum", sum)

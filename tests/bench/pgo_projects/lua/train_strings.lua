-- Training: string building, pattern matching, string.format and table.concat.
local words = {}
for i = 1, 20000 do words[i] = string.format("w%05d-%s", i, string.rep(string.char(97 + i % 26), i % 7 + 1)) end
local counts = {}
for rep = 1, 6 do
  local text = table.concat(words, " ")
  for w in text:gmatch("%a+") do counts[w] = (counts[w] or 0) + 1 end
  local upper = text:upper():gsub("W(%d+)", function(d) return tostring(#d) end)
  words[rep] = upper:sub(1, 20)
end
local keys = {}
for k in pairs(counts) do keys[#keys + 1] = k end
table.sort(keys)
print(#keys, keys[1], counts[keys[1]])

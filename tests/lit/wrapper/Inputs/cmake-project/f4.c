int f4(int x) { return x * 4 + (x > 3 ? 4 : -4); }

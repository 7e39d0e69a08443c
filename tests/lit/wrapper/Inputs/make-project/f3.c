int f3(int x) { return x * 3 + (x > 3 ? 3 : -3); }

// Shapes behind a virtual interface: the hot loop calls through a vtable.
#pragma once
#include <memory>
#include <vector>
struct Shape {
  virtual ~Shape() = default;
  virtual double area() const = 0;
};
std::vector<std::unique_ptr<Shape>> make_shapes(int count, unsigned seed);
double hot_total_area(const std::vector<std::unique_ptr<Shape>>& shapes, int rounds);

// Shape implementations and the hot summation loop.
#include "shapes.h"
namespace {
struct Square : Shape {
  double side;
  explicit Square(double s) : side(s) {}
  double area() const override { return side * side; }
};
struct Circle : Shape {
  double radius;
  explicit Circle(double r) : radius(r) {}
  double area() const override { return 3.14159 * radius * radius; }
};
} // namespace
std::vector<std::unique_ptr<Shape>> make_shapes(int count, unsigned seed) {
  std::vector<std::unique_ptr<Shape>> shapes;
  for (int i = 0; i < count; ++i) {
    seed = seed * 1103515245u + 12345u;
    if ((seed >> 16) % 10 < 8) shapes.push_back(std::make_unique<Square>((seed >> 8) % 7 + 1));
    else shapes.push_back(std::make_unique<Circle>((seed >> 8) % 5 + 1));
  }
  return shapes;
}
double hot_total_area(const std::vector<std::unique_ptr<Shape>>& shapes, int rounds) {
  double total = 0;
  for (int r = 0; r < rounds; ++r)
    for (const auto& shape : shapes) total += shape->area();
  return total;
}

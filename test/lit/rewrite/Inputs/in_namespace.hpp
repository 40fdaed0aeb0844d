// A header meant to be included inside `namespace app { ... }` (aggregate-edge-cases.cpp).
namespace shop {
struct Crate {
  int slots = 0;
};
}  // namespace shop

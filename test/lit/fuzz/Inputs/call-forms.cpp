// Seed for the fuzz test: the call forms of the differential corpus (test/differential/) in one
// file, starting with a UTF-8 byte order mark, without the runtime's headers.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

// Without the runtime's headers wfc judges serializability structurally: a serializer for the
// duration, as <workflow/standard_types.hpp> would give it, keeps the unmutated seed valid.
namespace nlohmann {
template <class T, class = void> struct adl_serializer;
template <> struct adl_serializer<std::chrono::milliseconds> {
  static void to_json(int&, std::chrono::milliseconds);
  static void from_json(const int&, std::chrono::milliseconds&);
};
}  // namespace nlohmann

namespace fees {
constexpr int kFee = 5;
enum class Color { red, green };
struct Money { int cents = 0; };
void to_json(int&, const Money&);
void from_json(const int&, Money&);
[[workflow::step]] int charge(int amount, int fee = kFee, Color color = Color::green,
                              Money bonus = Money{5}, Money extra = {});
[[workflow::step]] int price(int base, int tax = 1 +
                                                  2);
}  // namespace fees

struct Pair { int a = 0; int b = 0; };
void to_json(int&, const Pair&);
void from_json(const int&, Pair&);
struct Flags { unsigned level : 3; int delta : 5; };
struct Meter { [[workflow::step]] static int s(int x) { return x; } };
Meter make(int& log) { ++log; return Meter{}; }

[[workflow::step]] int twice(int x) { return 2 * x; }
[[workflow::step]] int t(Pair p) { return p.a + p.b; }
[[workflow::step]] std::size_t consume(std::string&& s) { return std::string(std::move(s)).size(); }
[[workflow::step]] std::size_t inspect(const std::string& s) { return s.size(); }
[[workflow::step]] std::string take(std::string s) { return s; }
[[workflow::step]] const std::string& name_of(int n);
[[workflow::step]] int sum(const int (&values)[3]) { return values[0] + values[1] + values[2]; }
[[workflow::step]] std::optional<int> half(std::optional<int> value) { return value; }
[[workflow::step]] std::variant<int, std::string> flip(const std::variant<int, std::string>& v) { return v; }
[[workflow::step]] std::chrono::milliseconds longer(std::chrono::milliseconds delay) { return delay; }
[[workflow::step]] void note(int n);
[[workflow::workflow]] std::string child(int x, std::string tag = "child") { return tag + std::to_string(twice(x)); }

namespace shop {
constexpr int kFee = 1000;
inline int twice(double x) { return static_cast<int>(x); }

[[workflow::workflow]] std::string flow(int x) {
  int log = 0;
  Meter meter;
  Meter* p = &meter;
  Flags flags{};
  int values[3] = {x, x, x};
  std::string s = "abc";
  int a = (::twice)(x) + ((::twice))(x) + twice(2.5);
  a += t({1, x}) + t({.a = 1, .b = x}) + make(log).s(x) + p->s(x);
  a += static_cast<int>(consume(std::move(s)) + inspect(std::move(s)));
  const auto& first = name_of(a);
  std::string_view second = name_of(a + 1);
  a += ::twice(flags.level) + ::twice(flags.delta) + sum(values);
  auto h = half(x);
  auto v = flip(std::string("four"));
  auto d = longer(std::chrono::seconds(1));
  a += fees::charge(x) + fees::price(x);
  int line = __LINE__;
  auto generic = [](auto value) { return ::twice(static_cast<int>(value)); };
  a += generic(x) + ::twice(::twice(x));
  note(a);
  std::string c = child(a);
  return take(std::move(c)) + first + std::string(second) + std::to_string(line + log + d.count()) +
         (h ? "h" : "") + std::to_string(v.index());
}
}  // namespace shop

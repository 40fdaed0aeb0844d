// Default arguments are written out at journaled calls with every name fully qualified (a name
// in a default argument is bound where the step is declared, not where it is called) and on one
// line without comments, so no later line moves.
// RUN: %wfc --root %S %s -o %t.cpp -- %flags
// RUN: FileCheck %s --input-file %t.cpp
// RUN: %gxx -fsyntax-only %t.cpp
// RUN: %clangxx -fsyntax-only %t.cpp
#include <workflow/workflow.hpp>
#include <optional>
#include <string>
#include <vector>

#define DEFAULT_COUNT 3

namespace billing {
inline constexpr int kFee = 25;
enum class Currency { eur, usd };
struct Money {
  int cents = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Money, cents)
NLOHMANN_JSON_SERIALIZE_ENUM(Currency, {{Currency::eur, "eur"}, {Currency::usd, "usd"}})
int standard_rate();

[[workflow::step]] int charge(int cents, int fee = kFee, Currency currency = Currency::eur,
                              Money minimum = Money{5}, std::vector<int> extras = {},
                              int rate = standard_rate() * 2 /* per cent */,
                              int count = DEFAULT_COUNT);
[[workflow::step]] std::string tag(std::string text = std::string("a") + "b");
template <class T>
struct Limits {
  static constexpr int max = 20;
};
[[workflow::step]] int capped(int value, int limit = Limits<Money>::max, std::optional<int> floor = std::optional{1});
[[workflow::step]] int spread(int cents,
                              int parts = kFee
                                          + 1);  // over two lines
}  // namespace billing

namespace shop {
inline constexpr int kFee = 99;  // not the kFee charge() means

[[workflow::workflow]] int order(int cents) {
  int total = billing::charge(cents);
// CHECK: int total = ::workflow::detail::step_call<&::billing::charge>("step//./default-arguments//billing::charge")(cents, ::billing::kFee, ::billing::Currency::eur, ::billing::Money{5}, {}, ::billing::standard_rate() * 2, DEFAULT_COUNT);
  total += billing::charge(cents, 1, billing::Currency::usd);
// CHECK: total += ::workflow::detail::step_call<&::billing::charge>("step//./default-arguments//billing::charge")(cents, 1, billing::Currency::usd, ::billing::Money{5}, {}, ::billing::standard_rate() * 2, DEFAULT_COUNT);
  total += billing::spread(cents);
// CHECK: total += ::workflow::detail::step_call<&::billing::spread>("step//./default-arguments//billing::spread")(cents, ::billing::kFee + 1);
  total += billing::capped(1);
// CHECK: total += ::workflow::detail::step_call<&::billing::capped>("step//./default-arguments//billing::capped")(1, ::billing::Limits<::billing::Money>::max, ::std::optional{1});
  total += static_cast<int>(billing::tag().size());
// CHECK: total += static_cast<int>(::workflow::detail::step_call<&::billing::tag>("step//./default-arguments//billing::tag")(::std::string("a") + "b").size());
  return total + __LINE__;
// CHECK: return total + __LINE__;
}
}  // namespace shop

// A default argument naming a private member cannot be written at the caller.
// RUN: %expect-exit 1 %wfc --root %S %s -o %t.bad.cpp -- %flags -DPRIVATE_DEFAULT 2>&1 | FileCheck %s --check-prefix=PRIVATE
#ifdef PRIVATE_DEFAULT
class Vault {
  static constexpr int kSecret = 7;

 public:
  [[workflow::step]] static int open(int code = kSecret);
};
[[workflow::workflow]] int heist() { return Vault::open(); }
// PRIVATE: default-arguments.cpp:[[@LINE-1]]:45: error: the default argument of parameter 'code' of step 'Vault::open' cannot be written out at this journaled call: it names 'Vault::kSecret', which is not accessible outside its class [default-argument-not-portable]
// PRIVATE: note: hint: pass the argument explicitly
// PRIVATE: note: the parameter is declared here
#endif

// Names reached through a macro, and user-defined literals, would be looked up again at the call.
// RUN: %expect-exit 1 %wfc --root %S %s -o %t.bad.cpp -- %flags -DMACRO_NAME 2>&1 | FileCheck %s --check-prefix=MACRO
// RUN: %expect-exit 1 %wfc --root %S %s -o %t.bad.cpp -- %flags -DUSER_LITERAL 2>&1 | FileCheck %s --check-prefix=LITERAL
#ifdef MACRO_NAME
namespace fees {
#define STANDARD_FEE kStandard
inline constexpr int kStandard = 7;
[[workflow::step]] int apply(int fee = STANDARD_FEE);
}  // namespace fees
[[workflow::workflow]] int fee_flow() { return fees::apply(); }
// MACRO: default-arguments.cpp:[[@LINE-1]]:48: error: the default argument of parameter 'fee' of step 'fees::apply' cannot be written out at this journaled call: it names 'fees::kStandard' through a macro, which would look it up again at the call [default-argument-not-portable]
#endif
#ifdef USER_LITERAL
namespace units {
inline namespace literals {
constexpr int operator""_cents(unsigned long long value) { return static_cast<int>(value); }
}  // namespace literals
[[workflow::step]] int pay(int amount = 5_cents);
}  // namespace units
[[workflow::workflow]] int pay_flow() { return units::pay(); }
// LITERAL: default-arguments.cpp:[[@LINE-1]]:48: error: the default argument of parameter 'amount' of step 'units::pay' cannot be written out at this journaled call: it uses a user-defined literal, whose operator is looked up where it is written [default-argument-not-portable]
#endif

// The JSON forms of the standard types that cross the journal (standard_types.hpp,
// docs/serialization.md): each form pinned, round trips through text as the journal stores it,
// bad JSON that throws instead of crashing, which types are Serializable at compile time, and one
// run whose steps take and return them.
#include "test_support.hpp"

#include <cctype>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

using namespace std::chrono_literals;
using workflow::Json;
using workflow::Serializable;

namespace {

// Has no default constructor, so it can only be read by the `from_json(json)` form that returns
// the value: optional and variant must not need one.
struct Meters {
  explicit Meters(double meters) : value(meters) {}
  double value;
  bool operator==(const Meters&) const = default;
};

struct NotSerializable {};

enum class Color : std::uint8_t { red = 1, green = 2 };

enum class Mood { calm, angry };
NLOHMANN_JSON_SERIALIZE_ENUM(Mood, {{Mood::calm, "calm"}, {Mood::angry, "angry"}})

// A user struct with standard-type members: NLOHMANN_DEFINE_TYPE_* reads members by get_to.
struct Shipment {
  std::optional<std::string> note;
  std::variant<int, std::string> id;
  std::chrono::seconds delay{};
  bool operator==(const Shipment&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Shipment, note, id, delay)

}  // namespace

NLOHMANN_JSON_NAMESPACE_BEGIN
template <>
struct adl_serializer<Meters> {
  static void to_json(json& target, const Meters& meters) { target = meters.value; }
  static Meters from_json(const json& source) { return Meters(source.get<double>()); }
};
NLOHMANN_JSON_NAMESPACE_END

namespace {

// What the standard types make serializable, nested ones included.
static_assert(Serializable<std::optional<int>>);
static_assert(Serializable<std::optional<std::string>>);
static_assert(Serializable<std::optional<Meters>>);
static_assert(Serializable<std::variant<int, std::string>>);
static_assert(Serializable<std::variant<Meters, int>>);
static_assert(Serializable<std::variant<std::monostate, int>>);
static_assert(Serializable<std::chrono::milliseconds>);
static_assert(Serializable<std::chrono::duration<double>>);
static_assert(Serializable<std::chrono::system_clock::time_point>);
static_assert(Serializable<std::chrono::sys_seconds>);
static_assert(Serializable<std::chrono::sys_days>);
static_assert(Serializable<Color>);
static_assert(Serializable<Mood>);
static_assert(Serializable<std::filesystem::path>);
static_assert(Serializable<std::optional<std::vector<std::variant<int, std::string>>>>);
static_assert(Serializable<std::map<std::string, std::optional<int>>>);
static_assert(Serializable<std::vector<std::optional<std::chrono::sys_seconds>>>);
static_assert(Serializable<Shipment>);

// Time points of clocks whose values mean nothing in another process are not, nor anything that
// contains one: the constraints carry through optional and variant.
static_assert(!Serializable<std::chrono::steady_clock::time_point>);
static_assert(!Serializable<std::chrono::file_clock::time_point>);
static_assert(Serializable<std::chrono::high_resolution_clock::time_point> ==
              !std::chrono::high_resolution_clock::is_steady);
static_assert(!Serializable<std::optional<std::chrono::steady_clock::time_point>>);
static_assert(!Serializable<std::variant<int, std::chrono::steady_clock::time_point>>);
static_assert(!Serializable<std::vector<std::chrono::steady_clock::time_point>>);
static_assert(!Serializable<std::optional<NotSerializable>>);
static_assert(!Serializable<std::variant<int, NotSerializable>>);

/// Writes `value`, checks the JSON text, and reads it back from that text, as the journal does
/// (parsing makes non-negative integers unsigned, which a value built in memory is not).
template <class T>
void expect_round_trip(const T& value, const std::string& json_text) {
  const Json written = workflow::detail::to_journal(value);
  EXPECT_EQ(written.dump(), json_text);
  EXPECT_EQ(workflow::detail::from_journal<T>(Json::parse(written.dump())), value);
}

template <class T>
T read(const std::string& json_text) {
  return workflow::detail::from_journal<T>(Json::parse(json_text));
}

TEST(SerializationTest, OptionalIsNullOrTheValue) {
  expect_round_trip(std::optional<std::string>(), "null");
  expect_round_trip(std::optional<std::string>("x"), R"("x")");
  expect_round_trip(std::optional<int>(0), "0");
  expect_round_trip(std::optional<Meters>(Meters(2.5)), "2.5");
  EXPECT_THROW(read<std::optional<int>>(R"("seven")"), Json::type_error);
}

TEST(SerializationTest, OptionalOfAnEmptyOptionalReadsBackEmpty) {
  // Both levels of emptiness are null: the documented limit of the form.
  const std::optional<std::optional<int>> inner_empty(std::in_place);
  EXPECT_EQ(workflow::detail::to_journal(inner_empty).dump(), "null");
  EXPECT_EQ(read<std::optional<std::optional<int>>>("null"), std::nullopt);
}

TEST(SerializationTest, VariantIsItsIndexAndValue) {
  using IntOrString = std::variant<int, std::string>;
  expect_round_trip(IntOrString(7), R"({"index":0,"value":7})");
  expect_round_trip(IntOrString("abc"), R"({"index":1,"value":"abc"})");
  // Alternatives whose JSON looks alike stay apart.
  expect_round_trip(std::variant<int, double>(2.0), R"({"index":1,"value":2.0})");
  expect_round_trip(std::variant<int, int>(std::in_place_index<1>, 3), R"({"index":1,"value":3})");
  expect_round_trip(std::variant<std::monostate, int>(), R"({"index":0,"value":null})");
  expect_round_trip(std::variant<Meters, int>(Meters(1.5)), R"({"index":0,"value":1.5})");
}

TEST(SerializationTest, BadVariantJsonThrowsNamingTheProblem) {
  using IntOrString = std::variant<int, std::string>;
  auto expect_message = [](const std::string& json_text, const std::string& part) {
    try {
      read<IntOrString>(json_text);
      ADD_FAILURE() << json_text << " was read";
    } catch (const Json::exception& error) {
      EXPECT_NE(std::string(error.what()).find(part), std::string::npos) << error.what();
    }
  };
  EXPECT_THROW(read<IntOrString>(R"({"index":2,"value":7})"), Json::out_of_range);
  expect_message(R"({"index":2,"value":7})", "std::variant index 2 is out of range: the variant has 2 alternatives");
  EXPECT_THROW(read<IntOrString>(R"({"index":-1,"value":7})"), Json::out_of_range);
  EXPECT_THROW(read<IntOrString>(R"({"index":18446744073709551615,"value":7})"), Json::out_of_range);
  EXPECT_THROW(read<IntOrString>(R"({"index":"0","value":7})"), Json::type_error);
  EXPECT_THROW(read<IntOrString>(R"({"index":0.0,"value":7})"), Json::type_error);
  expect_message(R"({"index":"0","value":7})", "\"index\" must be an integer, but is string");
  EXPECT_THROW(read<IntOrString>(R"([0,7])"), Json::type_error);
  expect_message("7", "std::variant must be an object");
  EXPECT_THROW(read<IntOrString>(R"({"value":7})"), Json::out_of_range);
  EXPECT_THROW(read<IntOrString>(R"({"index":0})"), Json::out_of_range);
  EXPECT_THROW(read<IntOrString>(R"({"index":0,"value":"seven"})"), Json::type_error);
  EXPECT_THROW(read<IntOrString>(R"({"index":1,"value":7})"), Json::type_error);
  using MaybeInt = std::variant<std::monostate, int>;
  EXPECT_THROW(read<MaybeInt>(R"({"index":0,"value":0})"), Json::type_error);
}

TEST(SerializationTest, DurationIsItsCountOfTicks) {
  expect_round_trip(1500ms, "1500");
  expect_round_trip(2s, "2");
  expect_round_trip(std::chrono::minutes(-3), "-3");
  expect_round_trip(std::chrono::nanoseconds::max(), "9223372036854775807");
  expect_round_trip(std::chrono::nanoseconds::min(), "-9223372036854775808");
  expect_round_trip(std::chrono::duration<double>(0.1), "0.1");
  expect_round_trip(std::chrono::duration<double, std::milli>(1.0 / 3.0), "0.3333333333333333");
  // Integral ticks refuse a fraction rather than truncate it, and anything not a number.
  EXPECT_THROW(read<std::chrono::milliseconds>("1.5"), Json::type_error);
  EXPECT_THROW(read<std::chrono::milliseconds>(R"("1500ms")"), Json::type_error);
  EXPECT_THROW(read<std::chrono::milliseconds>("null"), Json::type_error);
}

TEST(SerializationTest, SystemTimePointIsTicksSinceTheUnixEpoch) {
  using std::chrono::sys_days;
  const sys_days new_year_2024 = std::chrono::year(2024) / 1 / 1;
  expect_round_trip(new_year_2024, "19723");
  expect_round_trip(std::chrono::sys_seconds(new_year_2024), "1704067200");
  expect_round_trip(std::chrono::time_point_cast<std::chrono::milliseconds>(new_year_2024),
                    "1704067200000");
  const auto now = std::chrono::system_clock::now();
  expect_round_trip(now, std::to_string(now.time_since_epoch().count()));
  EXPECT_THROW(read<std::chrono::sys_seconds>(R"("2024-01-01")"), Json::type_error);
}

TEST(SerializationTest, EnumIsItsUnderlyingIntegerUnlessNamed) {
  expect_round_trip(Color::green, "2");
  expect_round_trip(Mood::angry, R"("angry")");
}

TEST(SerializationTest, PathIsAUtf8String) {
  // Compared as bytes: Debian's prebuilt GoogleTest cannot print a std::u8string.
  const std::u8string utf8 = u8"/tmp/Gr\u00fc\u00dfe/\u0444\u0430\u0439\u043b.txt";
  const std::string utf8_bytes(utf8.begin(), utf8.end());
  const std::filesystem::path path(utf8);
  const Json written = workflow::detail::to_journal(path);
  ASSERT_TRUE(written.is_string());
  EXPECT_EQ(written.get<std::string>(), utf8_bytes);
  const std::u8string read_back = read<std::filesystem::path>(written.dump()).u8string();
  EXPECT_EQ(std::string(read_back.begin(), read_back.end()), utf8_bytes);
  EXPECT_THROW(read<std::filesystem::path>("42"), Json::type_error);
}

TEST(SerializationTest, NestedFormsCompose) {
  using Ids = std::optional<std::vector<std::variant<int, std::string>>>;
  expect_round_trip(Ids({1, "a"}), R"([{"index":0,"value":1},{"index":1,"value":"a"}])");
  expect_round_trip(Ids(), "null");
  expect_round_trip(std::map<std::string, std::optional<int>>{{"a", 1}, {"b", std::nullopt}}, R"({"a":1,"b":null})");
  expect_round_trip(std::vector<std::optional<std::chrono::sys_seconds>>{std::chrono::sys_seconds(5s), std::nullopt},
                    "[5,null]");
  expect_round_trip(std::variant<std::monostate, std::optional<std::chrono::milliseconds>>(std::optional(250ms)),
                    R"({"index":1,"value":250})");
  expect_round_trip(Shipment{.note = std::nullopt, .id = "order-7", .delay = 30s},
                    R"({"delay":30,"id":{"index":1,"value":"order-7"},"note":null})");
}

// One run whose workflow and steps take and return the standard types, through the journal.
std::optional<std::string> serialization_shout(std::optional<std::string> note) {
  if (!note) return std::nullopt;
  std::string loud = *note;
  for (char& c : loud) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return loud;
}
REGISTER_STEP(serialization_shout);

std::variant<int, std::string> serialization_next_id(std::variant<int, std::string> id) {
  if (const int* number = std::get_if<int>(&id)) return *number + 1;
  return std::get<std::string>(id) + "!";
}
REGISTER_STEP(serialization_next_id);

std::chrono::milliseconds serialization_double_delay(std::chrono::milliseconds delay) { return 2 * delay; }
REGISTER_STEP(serialization_double_delay);

std::optional<std::string> serialization_summary(std::optional<std::string> note, std::variant<int, std::string> id,
                                                 std::chrono::milliseconds delay) {
  WORKFLOW_ENTRY(serialization_summary);
  const std::optional<std::string> loud = CALL_STEP(serialization_shout, note);
  const std::variant<int, std::string> next = CALL_STEP(serialization_next_id, id);
  const std::chrono::milliseconds doubled = CALL_STEP(serialization_double_delay, delay);
  if (!loud) return std::nullopt;
  const std::string next_text = next.index() == 0 ? std::to_string(std::get<int>(next)) : std::get<std::string>(next);
  return *loud + "|" + next_text + "|" + std::to_string(doubled.count()) + "ms";
}
REGISTER_WORKFLOW(serialization_summary);

class SerializationRunTest : public workflow::test_support::EngineTest {
 protected:
  /// The recorded results of the run's steps, in call order.
  static std::vector<Json> step_results(const workflow::RunHandle& run) {
    std::vector<Json> results;
    for (const auto& event : run.events())
      if (event.type == "step_completed") results.push_back(event.data.at("result"));
    return results;
  }
};

TEST_F(SerializationRunTest, StepsTakeAndReturnStandardTypes) {
  auto run = workflow::start(serialization_summary, std::optional<std::string>("hello"), 41, 1500ms);
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), std::optional<std::string>("HELLO|42|3000ms"));
  EXPECT_EQ(step_results(run), (std::vector<Json>{"HELLO", Json::parse(R"({"index":0,"value":42})"), 3000}));
}

TEST_F(SerializationRunTest, EmptyOptionalAndOtherAlternativeCrossTheJournal) {
  auto run = workflow::start(serialization_summary, std::nullopt, std::string("order-7"), 0ms);
  EXPECT_EQ(run.return_value(std::chrono::seconds(10)), std::nullopt);
  EXPECT_EQ(step_results(run), (std::vector<Json>{nullptr, Json::parse(R"({"index":1,"value":"order-7!"})"), 0}));
  EXPECT_EQ(workflow::inspect_run(run.run_id()).input,
            Json::parse(R"([null,{"index":1,"value":"order-7"},0])"));
}

}  // namespace

namespace {

int visible_length(const char (&name)[6]) { return static_cast<int>(std::char_traits<char>::length(name)); }
int grid_sum(const int (&grid)[2][2]) { return grid[0][0] + grid[0][1] + grid[1][0] + grid[1][1]; }

}  // namespace

// C arrays travel as JSON arrays of their elements, characters too (nlohmann_json alone would make
// a char array a string cut at its first NUL), and are read back into the parameter's array.
TEST(SerializationTest, ArrayArgumentsTravelAsArraysOfTheirElements) {
  const char name[6] = {'h', 'e', '\0', 'l', 'o', '\0'};
  auto input = workflow::detail::arguments_to_journal(name);
  EXPECT_EQ(input, Json::parse("[[104, 101, 0, 108, 111, 0]]"));
  EXPECT_EQ(workflow::detail::invoke_from_journal<&visible_length>(input), Json(2));

  const int grid[2][2] = {{1, 2}, {3, 4}};
  auto grid_input = workflow::detail::arguments_to_journal(grid);
  EXPECT_EQ(grid_input, Json::parse("[[[1, 2], [3, 4]]]"));
  EXPECT_EQ(workflow::detail::invoke_from_journal<&grid_sum>(grid_input), Json(10));
}

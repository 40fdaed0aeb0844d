// Unit tests of the stable ID format (compiler/src/stable_id.cpp, docs/stable-ids.md).
#include "stable_id.hpp"

#include <gtest/gtest.h>

namespace workflow::compiler {
namespace {

TEST(StableIdTest, DerivedIdIsKindPathAndQualifiedName) {
  EXPECT_EQ(derived_id(EntityKind::step, "src/orders", "shop::charge_card"),
            "step//./src/orders//shop::charge_card");
  EXPECT_EQ(derived_id(EntityKind::workflow, "orders", "process_order"),
            "workflow//./orders//process_order");
}

TEST(StableIdTest, PathIsRelativeToTheRootWithoutExtension) {
  EXPECT_EQ(id_path("/project/src/orders.cpp", "/project"), "src/orders");
  EXPECT_EQ(id_path("/project/src/orders.h", "/project"), "src/orders");
  EXPECT_EQ(id_path("/project/src/orders.hpp", "/project/"), "src/orders");
}

TEST(StableIdTest, HeaderAndSourceOfOneNameAgree) {
  EXPECT_EQ(stable_id(EntityKind::step, "", "/p/lib/billing.h", "/p", "Billing::refund"),
            stable_id(EntityKind::step, "", "/p/lib/billing.cpp", "/p", "Billing::refund"));
}

TEST(StableIdTest, PathIsNormalizedLexically) {
  EXPECT_EQ(id_path("/project/src/../lib/./orders.cpp", "/project"), "lib/orders");
  EXPECT_EQ(id_path("/project/src//orders.cpp", "/project/./"), "src/orders");
}

TEST(StableIdTest, OnlyTheLastExtensionIsRemoved) {
  EXPECT_EQ(id_path("/project/orders.test.cpp", "/project"), "orders.test");
  EXPECT_EQ(id_path("/project/Makefile", "/project"), "Makefile");
}

TEST(StableIdTest, FileOutsideTheRootKeepsItsDotDots) {
  EXPECT_EQ(id_path("/elsewhere/orders.cpp", "/project"), "../elsewhere/orders");
}

TEST(StableIdTest, ExplicitIdReplacesTheWholeId) {
  EXPECT_EQ(stable_id(EntityKind::step, "charge-v1", "/p/src/orders.cpp", "/p", "shop::charge"), "charge-v1");
}

TEST(StableIdTest, KindNames) {
  EXPECT_EQ(kind_name(EntityKind::workflow), "workflow");
  EXPECT_EQ(kind_name(EntityKind::step), "step");
}

}  // namespace
}  // namespace workflow::compiler

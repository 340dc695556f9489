// OK_VALUE(expr): the value of a Result that the test requires to be ok.
// A failed Result fails the test (REQUIRE) with its status as the message,
// instead of being read as an empty answer or dereferenced.
//   CHECK(OK_VALUE(a->dump()) == OK_VALUE(b->dump()));
// FOUND(expr): whether a Result is there (true) or NotFound (false); any
// other error (a failed read) fails the test instead of reading as "absent".
//   REQUIRE(eventually([&] { return FOUND(b->get(id)); }));
#pragma once

#include <catch2/catch.hpp>
#include <utility>

#include "ridealong/platform/status.h"

#define OK_VALUE(expr)                                           \
  ([&]() {                                                       \
    auto ok_value_result_ = (expr);                              \
    INFO(#expr << ": " << ok_value_result_.status().toString()); \
    REQUIRE(ok_value_result_.isOk());                            \
    return std::move(ok_value_result_).value();                  \
  }())

#define FOUND(expr)                                                          \
  ([&]() {                                                                   \
    auto found_result_ = (expr);                                             \
    INFO(#expr << ": " << found_result_.status().toString());                \
    if (!found_result_.isOk()) REQUIRE(found_result_.status().isNotFound()); \
    return found_result_.isOk();                                             \
  }())

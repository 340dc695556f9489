#include "merge.h"

namespace ridealong::core::detail {

void applyCreate(Record& r, std::string_view type, const Stamp& stamp) {
  // A zero stamp (record known only from field writes so far) orders first.
  if (r.created < stamp) {
    r.type = std::string(type);
    r.created = stamp;
  }
}

}  // namespace ridealong::core::detail

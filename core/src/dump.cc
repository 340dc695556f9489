// The canonical dump: records sorted by id, fields by name, conflict siblings
// in stamp order, and the version vector. nlohmann::json objects keep keys
// sorted, so equal states print equal bytes.
#include <nlohmann/json.hpp>

#include "notebook_impl.h"
#include "record_codec.h"
#include "ridealong/core/json.h"

namespace ridealong::core::detail {

Result<std::string> NotebookImpl::dump() {
  nlohmann::json records, vv;
  // A read that fails part way is an error: a shorter dump would look like a
  // replica that missed changes (or, empty, like a new notebook).
  RIDEALONG_RETURN_IF_ERROR(store_->read([&](const Txn& txn) {
    records = nlohmann::json::array();  // afresh: Store::read may retry
    vv = nlohmann::json::object();
    Cursor c(txn, store_->dbs().records);
    for (bool ok = c.first(); ok; ok = c.next()) {
      if (c.key().size() != 16) continue;
      RecordId id = Id16::fromBytes(c.key().data());
      auto rec = decodeRecord(id, c.value());
      nlohmann::json j;
      j["id"] = id.str();
      if (!rec) {
        j["error"] = rec.status().message();
        records.push_back(std::move(j));
        continue;
      }
      j["type"] = rec->type;
      nlohmann::json fields = nlohmann::json::object(), conflicts = nlohmann::json::object();
      for (const auto& f : rec->fields) {
        fields[f.name] = valueToJson<nlohmann::json>(f.value());
        if (f.values.size() > 1) {
          nlohmann::json sib = nlohmann::json::array();
          for (size_t i = 1; i < f.values.size(); i++)
            sib.push_back({{"value", valueToJson<nlohmann::json>(f.values[i].value)},
                           {"device", f.values[i].stamp.actor.str()},
                           {"seq", f.values[i].stamp.seq}});
          conflicts[f.name] = std::move(sib);
        }
      }
      j["fields"] = std::move(fields);
      if (!conflicts.empty()) j["conflicts"] = std::move(conflicts);
      records.push_back(std::move(j));
    }
    Cursor v(txn, store_->dbs().vv);
    for (bool ok = v.first(); ok; ok = v.next())
      if (v.key().size() == 16) vv[Id16::fromBytes(v.key().data()).str()] = readU64be(v.value());
    return Status::ok();
  }));
  nlohmann::json out;
  out["records"] = std::move(records);
  out["versionVector"] = std::move(vv);
  return out.dump(1) + "\n";
}

}  // namespace ridealong::core::detail

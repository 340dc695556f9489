// The on-disk form of a materialised record (LMDB `records` value): type,
// create stamp and every field with its concurrent values and stamps. A
// compact varint encoding; only this replica reads it. Internal to core.
#pragma once

#include <string>
#include <string_view>

#include "draft.h"
#include "ridealong/core/record.h"
#include "ridealong/platform/status.h"

namespace ridealong::core::detail {

void encodeRecord(const Record& r, std::string* out);
void encodeRecord(const DraftRecord& r, std::string* out);
// `id` is the key the blob was stored under.
Result<Record> decodeRecord(const RecordId& id, std::string_view blob);
// Into a draft whose strings view `blob`: the caller keeps the bytes alive
// (the applier copies them into its arena first).
Status decodeRecord(const RecordId& id, std::string_view blob, DraftRecord* out);

}  // namespace ridealong::core::detail

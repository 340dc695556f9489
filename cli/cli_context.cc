// Opening the notebook and resolving user-typed record ids for commands.
#include "cli_context.h"

#include "ridealong/core/ids.h"

namespace ridealong::cli {

Result<std::unique_ptr<core::Notebook>> CliContext::open(bool create) {
  core::NotebookOptions options;
  options.create = create;
  return core::Notebook::open(env, dataDir, options);
}

Result<core::Record> requireRecord(core::Notebook& nb, std::string_view text, std::string_view type,
                                   const std::string& what, bool allowDeleted) {
  std::string prefix = what.empty() ? "" : what + ": ";
  auto id = core::Id16::parse(text);
  if (!id)
    return Status::invalidArgument(prefix + "'" + std::string(text) +
                                   "' is not a record id (26 Crockford base32 characters)");
  auto record = nb.get(*id);
  if (!record && !record.status().isNotFound()) return record.status();  // the store could not be read
  if (!record) return Status::notFound(prefix + "no record with id " + id->str());
  if (!type.empty() && record->type != type)
    return Status::invalidArgument(prefix + "record " + id->str() + " is a " + record->type + ", not a " +
                                   std::string(type));
  if (!allowDeleted && record->deleted())
    return Status::invalidArgument(prefix + record->type + " " + id->str() +
                                   " is deleted (run `ridealong-cli restore " + id->str() + "` first)");
  return std::move(*record);
}

double elapsedMs(platform::Env& env, int64_t startNs) {
  return static_cast<double>(env.clock().monoNs() - startNs) / 1e6;
}

}  // namespace ridealong::cli

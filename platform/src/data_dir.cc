#include "ridealong/platform/data_dir.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace ridealong::platform {

std::string defaultDataDir() {
  if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return std::string(x) + "/ridealong";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.local/share/ridealong";
  return ".ridealong";
}

namespace {
std::string devicePath(const std::string& dir) { return dir + "/device.id"; }
}  // namespace

Result<DeviceId> loadDeviceId(Env& env, const std::string& dir) {
  auto bytes = env.fs().readFile(devicePath(dir));
  if (!bytes) {
    if (bytes.status().isNotFound())
      return Status::notFound("no notebook in " + dir + " (run `ridealong-cli --data " + dir + " init`)");
    return bytes.status();
  }
  if (bytes->size() != 16)
    return Status::corruption(devicePath(dir) + " holds " + std::to_string(bytes->size()) +
                              " bytes, expected a 16-byte device id");
  DeviceId id;
  for (size_t i = 0; i < 16; i++) id[i] = static_cast<uint8_t>((*bytes)[i]);
  return id;
}

Status writeDeviceId(Env& env, const std::string& dir, const DeviceId& id) {
  return env.fs().writeFileAtomic(devicePath(dir),
                                  std::string_view(reinterpret_cast<const char*>(id.data()), id.size()));
}

std::string notebookHome(const std::string& dir) {
  std::string machine;
  for (const char* f : {"/etc/machine-id", "/var/lib/dbus/machine-id"}) {
    std::ifstream in(f);
    if (in && std::getline(in, machine) && !machine.empty()) break;
    machine.clear();
  }
  if (machine.empty()) {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) == 0) machine = std::string("host:") + host;
  }
  std::error_code ec;
  auto path = std::filesystem::canonical(dir, ec);
  return machine + "\n" + (ec ? std::filesystem::absolute(dir, ec).lexically_normal().string() : path.string());
}

Result<DeviceId> initDeviceId(Env& env, const std::string& dir) {
  RIDEALONG_RETURN_IF_ERROR(env.fs().createDirs(dir));
  auto existing = loadDeviceId(env, dir);
  if (existing || !existing.status().isNotFound()) return existing;
  DeviceId id;
  env.randomBytes(id.data(), id.size());
  RIDEALONG_RETURN_IF_ERROR(writeDeviceId(env, dir, id));
  return id;
}

}  // namespace ridealong::platform

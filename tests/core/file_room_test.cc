// file_room.h: the store keeps zero-filled room past LMDB's data, so small
// durable commits overwrite blocks instead of growing the file (a growing
// file makes every fdatasync commit the filesystem journal too).
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "file_room.h"
#include "ok_value.h"
#include "ridealong/core/notebook.h"
#include "temp_dir.h"

using namespace ridealong;
using namespace ridealong::core;
using ridealong::core::detail::keepRoom;
using ridealong::core::detail::roomFor;

TEST_CASE("keepRoom appends zeros past the used bytes and never touches them", "[file-room]") {
  testing::TempDir tmp;
  std::string path = tmp.sub("f");
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT, 0600);
  REQUIRE(fd >= 0);
  std::string data(10000, 'd');
  REQUIRE(::pwrite(fd, data.data(), data.size(), 0) == static_cast<ssize_t>(data.size()));
  uint64_t added = keepRoom(fd, data.size());
  uint64_t size = std::filesystem::file_size(path);
  CHECK(added == size - data.size());
  CHECK(size >= data.size() + roomFor(data.size()));
  std::string back(size, '?');
  REQUIRE(::pread(fd, back.data(), size, 0) == static_cast<ssize_t>(size));
  CHECK(back.substr(0, data.size()) == data);
  CHECK(back.find_first_not_of('\0', data.size()) == std::string::npos);
  // Enough room already: nothing to do.
  CHECK(keepRoom(fd, data.size()) == 0);
  CHECK(keepRoom(fd, data.size() + roomFor(data.size()) / 4) == 0);
  // Used bytes close to the end: it grows again.
  CHECK(keepRoom(fd, size - 1000) > 0);
  CHECK(std::filesystem::file_size(path) >= size - 1000 + roomFor(size));
  ::close(fd);
}

TEST_CASE("durable commits keep room in the store file instead of growing it each time", "[file-room]") {
  testing::TempDir tmp;
  NotebookOptions o;
  o.create = true;
  auto nb = Notebook::open(platform::realEnv(), tmp.sub("nb"), o);
  REQUIRE(nb);
  const std::string file = tmp.sub("nb") + "/store/data.mdb";
  RecordId rep = (*nb)->newId();
  ChangeBuilder setup;
  setup.create(rep, "rep", {{"name", "Ana"}});
  REQUIRE((*nb)->commit(setup));
  int grew = 0;
  uint64_t size = std::filesystem::file_size(file);
  for (int i = 0; i < 40; i++) {
    ChangeBuilder b;
    b.set(rep, "team", "team " + std::to_string(i));
    REQUIRE((*nb)->commit(b));
    uint64_t now = std::filesystem::file_size(file);
    grew += now != size;
    size = now;
    // The room is there for the next commit (the check runs before each write).
    CHECK(size >= OK_VALUE((*nb)->stats()).usedBytes);
  }
  CHECK(grew <= 2);
  CHECK((*nb)->get(rep)->text("team") == "team 39");
}

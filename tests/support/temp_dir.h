// A fresh directory under $TMPDIR for one test, removed when it goes out of
// scope. Real directories: the store under test is a real LMDB environment.
#pragma once

#include <string>

namespace ridealong::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace ridealong::testing

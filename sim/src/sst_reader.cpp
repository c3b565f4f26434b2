// File reading for `codemorph sst`: plain or gzip-compressed (zlib's gz* API reads both).
#include <zlib.h>

#include <stdexcept>
#include <string>

#include "codemorph/sim/sst_command.h"

namespace codemorph::sim {

std::string readMaybeGzipped(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw std::runtime_error(path + ": cannot open");
  gzbuffer(f, 1 << 17);
  std::string data;
  char buf[1 << 16];
  for (;;) {
    const int n = gzread(f, buf, sizeof buf);
    if (n < 0) {
      int code = 0;
      const std::string msg = gzerror(f, &code);
      const long pos = gzoffset(f);
      gzclose_r(f);
      throw std::runtime_error(path + ": gzip error at compressed byte " + std::to_string(pos) +
                               " (uncompressed " + std::to_string(data.size()) + "): " + msg);
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  const int rc = gzclose_r(f);
  if (rc != Z_OK)
    throw std::runtime_error(path + ": gzip error: truncated or corrupt stream after " +
                             std::to_string(data.size()) + " uncompressed bytes");
  return data;
}

}  // namespace codemorph::sim

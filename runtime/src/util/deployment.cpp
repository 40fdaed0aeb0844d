// The default deployment ID: see deployment.hpp.
#include "util/deployment.hpp"

#include <elf.h>
#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

namespace workflow::detail {
namespace {

std::string hex(const unsigned char* bytes, std::size_t size) {
  std::string out;
  char digit[3];
  for (std::size_t i = 0; i < size; ++i) {
    std::snprintf(digit, sizeof digit, "%02x", bytes[i]);
    out += digit;
  }
  return out;
}

// The main program is the first object dl_iterate_phdr reports.
int read_build_id(dl_phdr_info* info, std::size_t, void* out) {
  auto* build_id = static_cast<std::string*>(out);
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const auto& header = info->dlpi_phdr[i];
    if (header.p_type != PT_NOTE) continue;
    auto* note = reinterpret_cast<const unsigned char*>(info->dlpi_addr + header.p_vaddr);
    auto* end = note + header.p_memsz;
    while (note + sizeof(ElfW(Nhdr)) <= end) {
      const auto* nhdr = reinterpret_cast<const ElfW(Nhdr)*>(note);
      const unsigned char* name = note + sizeof(ElfW(Nhdr));
      const unsigned char* desc = name + ((nhdr->n_namesz + 3) & ~3u);
      if (nhdr->n_type == NT_GNU_BUILD_ID && nhdr->n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0) {
        *build_id = hex(desc, nhdr->n_descsz);
        return 1;
      }
      note = desc + ((nhdr->n_descsz + 3) & ~3u);
    }
  }
  return 1;  // only the main program
}

std::string executable_fingerprint() {
  char path[4096];
  auto length = readlink("/proc/self/exe", path, sizeof path - 1);
  if (length <= 0) return "unknown";
  path[length] = '\0';
  struct stat info {};
  stat(path, &info);
  std::string key = std::string(path) + ":" + std::to_string(info.st_size) + ":" + std::to_string(info.st_mtime);
  std::uint64_t hash = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : key) hash = (hash ^ c) * 1099511628211ull;
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(hash));
  return out;
}

}  // namespace

std::string default_deployment_id() {
  std::string build_id;
  dl_iterate_phdr(read_build_id, &build_id);
  if (build_id.empty()) build_id = executable_fingerprint();
  return "build-" + build_id.substr(0, 20);
}

}  // namespace workflow::detail

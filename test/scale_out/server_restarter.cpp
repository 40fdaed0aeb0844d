// Running the fixture's `pg_ctl -m immediate -w restart` in the background.
#include "server_restarter.hpp"

#include "scale_out_protocol.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace scale_out {

ServerRestarter::ServerRestarter(std::filesystem::path pg_ctl, std::filesystem::path output)
    : pg_ctl_(std::move(pg_ctl)), output_(std::move(output)) {}

ServerRestarter::~ServerRestarter() { wait(); }

bool ServerRestarter::begin() {
  if (busy_) return false;
  wait();  // joins the thread of the previous restart
  busy_ = true;
  thread_ = std::thread([this] { restart(); });
  return true;
}

void ServerRestarter::wait() {
  if (thread_.joinable()) thread_.join();
}

int ServerRestarter::completed() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(outages_.size()) - failed_;
}

int ServerRestarter::failed() const {
  std::lock_guard lock(mutex_);
  return failed_;
}

std::vector<Window> ServerRestarter::outages() const {
  std::lock_guard lock(mutex_);
  return outages_;
}

void ServerRestarter::restart() {
  std::string program = pg_ctl_.string();
  std::string output = output_.string();
  const char* argv[] = {program.c_str(), "-m", "immediate", "-w", "-t", "120", "restart", nullptr};
  std::int64_t begin = monotonic_ns();
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
    }
    execv(argv[0], const_cast<char* const*>(argv));
    _exit(127);
  }
  int status = -1;
  if (pid > 0) waitpid(pid, &status, 0);
  {
    std::lock_guard lock(mutex_);
    outages_.push_back({begin, monotonic_ns()});
    if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) ++failed_;
  }
  busy_ = false;
}

}  // namespace scale_out

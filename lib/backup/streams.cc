#include "backup/streams.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "backup/cancel.h"
#include "util/error.h"

namespace capstan::backup {

namespace {
constexpr size_t kGzipBuffer = 256 << 10;

[[noreturn]] void ThrowIo(const std::string& what, const std::string& path, int err) {
  std::string msg = what + " " + path + ": " + std::strerror(err);
  if (err == ENOSPC || err == EDQUOT || err == EFBIG)
    throw PreconditionError(msg + ": the backup volume is full; free space or enlarge it, then run again");
  throw Error(msg);
}
}  // namespace

FileSink::FileSink(const std::string& path, unsigned mode, std::atomic<uint64_t>* progress)
    : path_(path), progress_(progress) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd_ < 0) ThrowIo("cannot create", path, errno);
}

FileSink::~FileSink() {
  if (fd_ >= 0) ::close(fd_);
}

void FileSink::Write(const char* data, size_t n) {
  ThrowIfCancelled();
  hash_.Update(data, n);
  size_ += n;
  while (n > 0) {
    ssize_t w = ::write(fd_, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      ThrowIo("cannot write", path_, errno);
    }
    data += w;
    n -= static_cast<size_t>(w);
    if (progress_) progress_->fetch_add(static_cast<uint64_t>(w), std::memory_order_relaxed);
  }
}

void FileSink::Finish() {
  if (fd_ < 0) return;
  if (::fsync(fd_) != 0) ThrowIo("cannot sync", path_, errno);
  int rc = ::close(fd_);
  fd_ = -1;
  if (rc != 0) ThrowIo("cannot close", path_, errno);
}

FileSource::FileSource(const std::string& path, std::atomic<uint64_t>* progress) : path_(path), progress_(progress) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) ThrowIo("cannot open", path, errno);
  ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
}

FileSource::~FileSource() {
  if (fd_ >= 0) ::close(fd_);
}

size_t FileSource::Read(char* data, size_t n) {
  while (true) {
    ssize_t r = ::read(fd_, data, n);
    if (r < 0) {
      if (errno == EINTR) continue;
      ThrowIo("cannot read", path_, errno);
    }
    hash_.Update(data, static_cast<size_t>(r));
    size_ += static_cast<uint64_t>(r);
    if (progress_) progress_->fetch_add(static_cast<uint64_t>(r), std::memory_order_relaxed);
    return static_cast<size_t>(r);
  }
}

FileDigest DigestFile(const std::string& path, std::atomic<uint64_t>* progress) {
  FileSource src(path, progress);
  std::unique_ptr<char[]> buf(new char[1 << 20]);
  while (src.Read(buf.get(), 1 << 20) > 0) {
  }
  return {src.size(), src.sha256()};
}

GzipSink::GzipSink(ByteSink& out, int level) : out_(out), buf_(new char[kGzipBuffer]) {
  if (level < 1 || level > 9) throw UsageError("invalid compression level " + std::to_string(level) + ": use 1..9");
  // windowBits 15 + 16: a gzip header and trailer; memLevel 8 as gzip(1).
  if (deflateInit2(&zs_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw Error("cannot initialise zlib compression");
}

GzipSink::~GzipSink() { deflateEnd(&zs_); }

void GzipSink::Deflate(int flush) {
  while (true) {
    zs_.next_out = reinterpret_cast<Bytef*>(buf_.get());
    zs_.avail_out = static_cast<uInt>(kGzipBuffer);
    int rc = deflate(&zs_, flush);
    if (rc == Z_STREAM_ERROR) throw Error("zlib compression failed");
    size_t have = kGzipBuffer - zs_.avail_out;
    if (have > 0) out_.Write(buf_.get(), have);
    if (flush == Z_FINISH) {
      if (rc == Z_STREAM_END) return;
    } else if (zs_.avail_in == 0 && zs_.avail_out != 0) {
      return;
    }
  }
}

void GzipSink::Write(const char* data, size_t n) {
  bytes_in_ += n;
  while (n > 0) {
    uInt chunk = static_cast<uInt>(n > (1u << 30) ? (1u << 30) : n);
    zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
    zs_.avail_in = chunk;
    Deflate(Z_NO_FLUSH);
    data += chunk;
    n -= chunk;
  }
}

void GzipSink::Finish() {
  if (finished_) return;
  zs_.next_in = nullptr;
  zs_.avail_in = 0;
  Deflate(Z_FINISH);
  finished_ = true;
}

GzipSource::GzipSource(ByteSource& in, std::string what)
    : in_(in), what_(std::move(what)), buf_(new char[kGzipBuffer]) {
  if (inflateInit2(&zs_, 15 + 16) != Z_OK) throw Error("cannot initialise zlib decompression");
}

GzipSource::~GzipSource() { inflateEnd(&zs_); }

size_t GzipSource::Read(char* data, size_t n) {
  if (done_ || n == 0) return 0;
  zs_.next_out = reinterpret_cast<Bytef*>(data);
  zs_.avail_out = static_cast<uInt>(n > (1u << 30) ? (1u << 30) : n);
  uInt want = zs_.avail_out;
  while (zs_.avail_out == want) {
    if (zs_.avail_in == 0) {
      size_t got = in_.Read(buf_.get(), kGzipBuffer);
      if (got == 0) throw Error(what_ + ": the gzip stream is truncated: the archive is incomplete or corrupt");
      zs_.next_in = reinterpret_cast<Bytef*>(buf_.get());
      zs_.avail_in = static_cast<uInt>(got);
    }
    int rc = inflate(&zs_, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) {
      done_ = true;
      // Nothing may follow the gzip stream.
      char extra[1];
      if (zs_.avail_in != 0 || in_.Read(extra, 1) != 0)
        throw Error(what_ + ": unexpected bytes after the gzip stream: the archive is corrupt");
      break;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR)
      throw Error(what_ + ": the gzip stream is corrupt (" + (zs_.msg ? zs_.msg : "zlib error") + ")");
  }
  return want - zs_.avail_out;
}

}  // namespace capstan::backup

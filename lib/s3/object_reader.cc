// Client::OpenRead: an object read in ranged GETs of Config::read_chunk bytes (the only buffer), each resumed from
// the last byte received when the connection is cut, each checked against the object's ETag and size.
#include <algorithm>

#include "s3/client.h"
#include "util/error.h"

namespace capstan::s3 {

namespace {

std::string Unquote(std::string s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
  return s;
}

class RangeReader : public ObjectReader {
 public:
  RangeReader(Client& client, std::string key, ObjectInfo info)
      : client_(client), key_(std::move(key)), info_(std::move(info)) {}

  size_t Read(char* out, size_t n) override {
    if (pos_ == buf_.size()) {
      if (offset_ >= info_.size) return 0;
      Fill();
    }
    size_t take = std::min(n, buf_.size() - pos_);
    std::copy(buf_.data() + pos_, buf_.data() + pos_ + take, out);
    pos_ += take;
    return take;
  }
  uint64_t size() const override { return info_.size; }
  const std::string& etag() const override { return info_.etag; }

 private:
  void Fill() {
    const uint64_t end = std::min<uint64_t>(info_.size, offset_ + client_.config().read_chunk);  // exclusive
    const size_t want = static_cast<size_t>(end - offset_);
    buf_.clear();
    buf_.reserve(want);
    pos_ = 0;
    Client::Request r;
    r.op = "GET object";
    r.method = "GET";
    r.key = key_;
    r.prepare = [this, end](Client::Request& req) {
      // 200 (the whole object) only answers a range that is the whole object; otherwise the server ignored Range.
      const uint64_t from = offset_ + buf_.size();
      req.accept = from == 0 && end == info_.size ? std::vector<int>{206, 200} : std::vector<int>{206};
      req.headers.clear();
      req.headers.emplace_back("Range", "bytes=" + std::to_string(offset_ + buf_.size()) + "-" +
                                            std::to_string(end - 1));
    };
    r.sink = [this, want](const char* data, size_t n) {
      if (buf_.size() + n > want) return false;  // more than asked for: refused below
      buf_.append(data, n);
      return true;
    };
    Client::Response res = client_.Send(r);
    std::string etag = Unquote(res.Header("etag"));
    if (!etag.empty() && !info_.etag.empty() && etag != info_.etag) {
      throw Error("S3 object " + client_.Where(key_) + " changed while it was being read (ETag " + info_.etag +
                  " became " + etag + "): read it again; if it keeps changing, something else writes to the same key");
    }
    std::string range = res.Header("content-range");  // bytes A-B/TOTAL
    size_t slash = range.rfind('/');
    if (res.status == 206 && slash != std::string::npos && range.substr(slash + 1) != std::to_string(info_.size)) {
      throw Error("S3 object " + client_.Where(key_) + " changed size while it was being read (" +
                  std::to_string(info_.size) + " bytes, now " + range.substr(slash + 1) + "): read it again");
    }
    if (buf_.size() != want) {
      throw Error("S3 object " + client_.Where(key_) + " ended early: got " + std::to_string(offset_ + buf_.size()) +
                  " of " + std::to_string(info_.size) + " bytes: read it again");
    }
    offset_ = end;
  }

  Client& client_;
  std::string key_;
  ObjectInfo info_;
  uint64_t offset_ = 0;  // object offset of the end of buf_
  std::string buf_;
  size_t pos_ = 0;
};

}  // namespace

std::unique_ptr<ObjectReader> Client::OpenRead(const std::string& key) {
  auto info = Head(key);
  if (!info) {
    throw Error("S3 object " + Where(key) + " does not exist: check the location and that the backup completed");
  }
  return std::make_unique<RangeReader>(*this, key, std::move(*info));
}

}  // namespace capstan::s3

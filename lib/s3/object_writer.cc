// Client::Create: an object written through one part-sized buffer. Below one part it is a single PUT at Finish();
// from the first byte past one part on it is a multipart upload (parts growing with the object: PartSize) (CreateMultipartUpload with the SHA-256 checksum
// algorithm, UploadPart per full buffer, CompleteMultipartUpload at Finish()), aborted by Abort() or by the
// destructor when Finish() was not reached.
#include <algorithm>

#include "digest/sha256.h"
#include "log/log.h"
#include "s3/client.h"
#include "s3/encoding.h"
#include "s3/responses.h"
#include "s3/xml.h"
#include "util/error.h"

namespace capstan::s3 {

namespace {

struct Part {
  int number;
  std::string etag;
  std::string checksum;  // base64 SHA-256
};

class MultipartWriter : public ObjectWriter {
 public:
  MultipartWriter(Client& client, std::string key) : client_(client), key_(std::move(key)) {
    buf_.reserve(client_.config().part_size);
  }
  ~MultipartWriter() override {
    if (!finished_ && !upload_id_.empty()) {
      try {
        Abort();
      } catch (const std::exception& e) {
        log::Warn("s3: could not abort an unfinished multipart upload; it is left for cleanup",
                  {{"key", key_}, {"upload_id", upload_id_}, {"error", e.what()}});
      }
    }
  }

  void Write(const char* data, size_t n) override {
    if (finished_ || aborted_) throw Error("S3 upload of " + client_.Where(key_) + " written after it ended");
    const size_t part_size = PartSize();
    while (n > 0) {
      if (buf_.size() == part_size) UploadPart();  // more bytes follow a full buffer: it is not the last part
      size_t take = std::min(n, part_size - buf_.size());
      buf_.append(data, take);
      whole_.Update(data, take);
      total_ += take;
      data += take;
      n -= take;
    }
  }

  FinishResult Finish() override {
    if (finished_ || aborted_) throw Error("S3 upload of " + client_.Where(key_) + " finished twice or after Abort()");
    if (upload_id_.empty()) {
      client_.Put(key_, buf_);
    } else {
      if (!buf_.empty()) UploadPart();
      Complete();
    }
    finished_ = true;
    buf_.clear();
    buf_.shrink_to_fit();
    return FinishResult{total_, whole_.HexDigest()};
  }

  void Abort() override {
    if (aborted_ || finished_) return;
    aborted_ = true;
    buf_.clear();
    if (!upload_id_.empty()) client_.AbortUpload(key_, upload_id_);
  }

 private:
  // The size of the part being filled: the configured size for the first 2000 parts, then doubled every 2000 parts
  // (S3 allows 10000 parts of different sizes): 8 MiB parts reach ~500 GB, with one part of at most 128 MiB in
  // memory at the end, and small objects keep small buffers.
  size_t PartSize() const { return client_.config().part_size << std::min<size_t>(parts_.size() / 2000, 4); }

  void Start() {
    Client::Request r;
    r.op = "CREATE multipart upload";
    r.method = "POST";
    r.key = key_;
    r.query = {{"uploads", ""}};
    r.headers = {{"x-amz-checksum-algorithm", "SHA256"}};
    Client::Response res = client_.Send(r);
    try {
      upload_id_ = ParseInitiateMultipartUploadResult(res.body);
    } catch (const XmlError& e) {
      throw Error("S3 answered CreateMultipartUpload for " + client_.Where(key_) + " with an unreadable body (" +
                  e.what() + ")");
    }
  }

  void UploadPart() {
    if (upload_id_.empty()) Start();
    Part part;
    part.number = static_cast<int>(parts_.size()) + 1;
    if (part.number > 10000) {
      throw Error("S3 upload of " + client_.Where(key_) + " is larger than 10000 parts (about 500 GB at 8 MiB parts): "
                  "S3 cannot hold it as one object; back up the volume with --snapshot-pvc instead of archiving it");
    }
    Client::Request r;
    r.op = "UPLOAD part " + std::to_string(part.number);
    r.method = "PUT";
    r.key = key_;
    r.query = {{"partNumber", std::to_string(part.number)}, {"uploadId", upload_id_}};
    r.payload_hash = Sha256::Hex(buf_);
    part.checksum = Base64Encode(HexToBytes(r.payload_hash));
    r.headers = {{"x-amz-checksum-sha256", part.checksum}};
    r.body = std::move(buf_);
    buf_.clear();
    Client::Response res = client_.Send(r);
    buf_ = std::move(r.body);  // keep the allocation
    buf_.clear();
    part.etag = res.Header("etag");
    if (part.etag.empty()) {
      throw Error("S3 answered part " + std::to_string(part.number) + " of " + client_.Where(key_) + " without an ETag");
    }
    parts_.push_back(std::move(part));
  }

  void Complete() {
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
    for (const auto& p : parts_) {
      xml += "<Part><ChecksumSHA256>" + p.checksum + "</ChecksumSHA256><ETag>" + XmlEscape(p.etag) +
             "</ETag><PartNumber>" + std::to_string(p.number) + "</PartNumber></Part>";
    }
    xml += "</CompleteMultipartUpload>";
    Client::Request r;
    r.op = "COMPLETE multipart upload";
    r.method = "POST";
    r.key = key_;
    r.query = {{"uploadId", upload_id_}};
    r.headers = {{"Content-Type", "application/xml"}};
    r.body = std::move(xml);
    r.accept = {200, 404};
    Client::Response res = client_.Send(r);
    if (res.status == 404) {
      // NoSuchUpload: a retried Complete whose first attempt completed (its answer was lost), or an upload aborted
      // meanwhile; the object's size tells which.
      auto info = client_.Head(key_);
      if (info && info->size == total_) return;
      throw Error("S3 multipart upload of " + client_.Where(key_) + " vanished before it completed (aborted by "
                  "someone else, or by a lifecycle rule on incomplete uploads): write the object again");
    }
    CompleteOutcome out;
    try {
      out = ParseCompleteMultipartUploadResult(res.body);
    } catch (const XmlError& e) {
      throw Error("S3 answered CompleteMultipartUpload for " + client_.Where(key_) + " with an unreadable body (" +
                  e.what() + ")");
    }
    if (out.error) {
      throw Error("S3 could not complete the upload of " + client_.Where(key_) + ": " + out.error->code + ": " +
                  out.error->message + ": write the object again");
    }
    auto info = client_.Head(key_);
    if (!info || info->size != total_) {
      throw Error("S3 object " + client_.Where(key_) + " has " + (info ? std::to_string(info->size) : "no") +
                  " bytes after its upload of " + std::to_string(total_) + ": write it again");
    }
  }

  Client& client_;
  std::string key_;
  std::string buf_;
  Sha256 whole_;
  uint64_t total_ = 0;
  std::string upload_id_;
  std::vector<Part> parts_;
  bool finished_ = false;
  bool aborted_ = false;
};

}  // namespace

std::unique_ptr<ObjectWriter> Client::Create(const std::string& key) {
  return std::make_unique<MultipartWriter>(*this, key);
}

}  // namespace capstan::s3

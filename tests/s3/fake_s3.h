// A tiny in-memory S3 for the tests that s3rver cannot serve: s3rver 3.7.1 implements neither ListMultipartUploads
// nor AbortMultipartUpload, and cannot be told to answer 503 SlowDown. Plain HTTP on 127.0.0.1 (the client accepts
// http:// on loopback only), path-style, one bucket. It keeps objects and multipart uploads in memory, answers with
// S3's XML shapes, and scripts faults: the next N requests (optionally only of one method) get 503 SlowDown. Every
// request is recorded (method, path, query, headers) so tests can check what the client sent.
#pragma once
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "net/httplib.h"

namespace capstan::test {

class FakeS3 {
 public:
  struct Seen {
    std::string method, path, query;
    httplib::Headers headers;
    int status = 0;
  };

  explicit FakeS3(std::string bucket = "fake-bucket") : bucket_(std::move(bucket)) {
    auto h = [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); };
    server_.Get(".*", h);
    server_.Put(".*", h);
    server_.Post(".*", h);
    server_.Delete(".*", h);
    server_.Options(".*", h);
    server_.set_payload_max_length(64u << 20);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeS3() {
    server_.stop();
    thread_.join();
  }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& bucket() const { return bucket_; }

  void FailNext(int count, std::string method = "") {
    std::lock_guard<std::mutex> g(mu_);
    fail_count_ = count;
    fail_method_ = std::move(method);
  }
  std::vector<Seen> requests() {
    std::lock_guard<std::mutex> g(mu_);
    return seen_;
  }
  std::map<std::string, std::string> objects() {
    std::lock_guard<std::mutex> g(mu_);
    return objects_;
  }
  int delete_requests() {
    std::lock_guard<std::mutex> g(mu_);
    return delete_requests_;
  }
  size_t uploads() {
    std::lock_guard<std::mutex> g(mu_);
    return uploads_.size();
  }

 private:
  struct Upload {
    std::string key;
    std::map<int, std::string> parts;
  };

  static void Xml(httplib::Response& res, int status, const std::string& body) {
    res.status = status;
    res.set_content("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body, "application/xml");
  }
  static void Err(httplib::Response& res, int status, const std::string& code) {
    Xml(res, status, "<Error><Code>" + code + "</Code><Message>" + code + " (fake)</Message><RequestId>FAKE</RequestId>"
                     "</Error>");
  }
  static std::string Etag(const std::string& data) { return "\"" + std::to_string(std::hash<std::string>{}(data)) + "\""; }

  void Handle(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> g(mu_);
    Seen s{req.method, req.path, "", req.headers, 0};
    for (const auto& [k, v] : req.params) s.query += (s.query.empty() ? "" : "&") + k + "=" + v;
    Serve(req, res);
    s.status = res.status;
    seen_.push_back(std::move(s));
  }

  void Serve(const httplib::Request& req, httplib::Response& res) {
    if (fail_count_ > 0 && (fail_method_.empty() || fail_method_ == req.method)) {
      --fail_count_;
      Err(res, 503, "SlowDown");
      return;
    }
    if (!req.has_header("Authorization") || req.get_header_value("Authorization").rfind("AWS4-HMAC-SHA256 ", 0) != 0) {
      Err(res, 403, "AccessDenied");
      return;
    }
    const std::string prefix = "/" + bucket_;
    if (req.path.rfind(prefix, 0) != 0 || (req.path.size() > prefix.size() && req.path[prefix.size()] != '/')) {
      Err(res, 404, "NoSuchBucket");
      return;
    }
    std::string key = req.path.size() > prefix.size() + 1 ? req.path.substr(prefix.size() + 1) : "";
    if (key.empty()) {
      if (req.method == "GET" && req.has_param("uploads")) {
        std::string body = "<ListMultipartUploadsResult><Bucket>" + bucket_ + "</Bucket><IsTruncated>false</IsTruncated>";
        std::string want = req.get_param_value("prefix");
        for (const auto& [id, u] : uploads_) {
          if (u.key.rfind(want, 0) != 0) continue;
          body += "<Upload><Key>" + u.key + "</Key><UploadId>" + id + "</UploadId><Initiated>2026-12-07T10:00:00.000Z"
                  "</Initiated></Upload>";
        }
        Xml(res, 200, body + "</ListMultipartUploadsResult>");
        return;
      }
      if (req.method == "POST" && req.has_param("delete")) {
        ++delete_requests_;
        size_t count = 0;
        for (size_t at = req.body.find("<Key>"); at != std::string::npos; at = req.body.find("<Key>", at + 5)) {
          size_t end = req.body.find("</Key>", at);
          objects_.erase(req.body.substr(at + 5, end - at - 5));
          ++count;
        }
        if (count > 1000 || !req.has_header("Content-MD5")) {
          Err(res, 400, "MalformedXML");
          return;
        }
        Xml(res, 200, "<DeleteResult></DeleteResult>");
        return;
      }
      Err(res, 501, "NotImplemented");
      return;
    }
    if (req.method == "POST" && req.has_param("uploads")) {
      std::string id = "upload-" + std::to_string(++next_id_);
      uploads_[id] = Upload{key, {}};
      Xml(res, 200, "<InitiateMultipartUploadResult><Bucket>" + bucket_ + "</Bucket><Key>" + key + "</Key><UploadId>" +
                        id + "</UploadId></InitiateMultipartUploadResult>");
      return;
    }
    if (req.has_param("uploadId")) {
      auto it = uploads_.find(req.get_param_value("uploadId"));
      if (it == uploads_.end()) {
        Err(res, 404, "NoSuchUpload");
        return;
      }
      if (req.method == "PUT") {
        int n = std::stoi(req.get_param_value("partNumber"));
        it->second.parts[n] = req.body;
        res.set_header("ETag", Etag(req.body));
        res.status = 200;
      } else if (req.method == "DELETE") {
        uploads_.erase(it);
        res.status = 204;
      } else if (req.method == "POST") {
        std::string all;
        for (const auto& [n, data] : it->second.parts) all += data;
        objects_[key] = all;
        uploads_.erase(it);
        Xml(res, 200, "<CompleteMultipartUploadResult><Key>" + key + "</Key><ETag>" + Etag(all) +
                          "</ETag></CompleteMultipartUploadResult>");
      }
      return;
    }
    if (req.method == "PUT") {
      objects_[key] = req.body;
      res.set_header("ETag", Etag(req.body));
      res.status = 200;
      return;
    }
    auto obj = objects_.find(key);
    if (req.method == "DELETE") {
      if (obj != objects_.end()) objects_.erase(obj);
      res.status = 204;
      return;
    }
    if (obj == objects_.end()) {
      if (req.method == "HEAD") res.status = 404;
      else Err(res, 404, "NoSuchKey");
      return;
    }
    res.set_header("ETag", Etag(obj->second));
    res.set_header("Last-Modified", "Mon, 07 Dec 2026 10:00:00 GMT");
    // httplib itself answers HEAD (headers only) and Range requests (206 with Content-Range, when the handler leaves
    // the status unset).
    res.set_content(obj->second, "application/octet-stream");
  }

  std::string bucket_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::vector<Seen> seen_;
  std::map<std::string, std::string> objects_;
  std::map<std::string, Upload> uploads_;
  int next_id_ = 0;
  int delete_requests_ = 0;
  int fail_count_ = 0;
  std::string fail_method_;
};

}  // namespace capstan::test

#include <catch2/catch.hpp>

#include "s3/responses.h"
#include "s3/xml.h"

namespace capstan::s3 {

TEST_CASE("XML reader: elements, entities, CDATA, namespaces", "[s3][xml]") {
  XmlElement e = ParseXml(
      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c --><s3:A xmlns:s3=\"x\" b='1'>"
      "<K>a&amp;b&lt;&#65;&#x42;&#x1F600;</K><K><![CDATA[<raw>]]></K><E/></s3:A>\n");
  CHECK(e.name == "A");
  REQUIRE(e.Children("K").size() == 2);
  CHECK(e.ChildText("K") == "a&b<AB\xF0\x9F\x98\x80");
  CHECK(e.Children("K")[1]->text == "<raw>");
  CHECK(e.Child("E") != nullptr);
  CHECK(e.Child("missing") == nullptr);
  CHECK(XmlEscape("<a&'\">") == "&lt;a&amp;&apos;&quot;&gt;");
}

TEST_CASE("XML reader: malformed documents are refused", "[s3][xml]") {
  for (const char* bad : {"", "text", "<a>", "<a></b>", "<a><b></a></b>", "<a>&unknown;</a>", "<a>&#0;</a>",
                          "<a>&#xD800;</a>", "<!DOCTYPE a [<!ENTITY x \"y\">]><a/>", "<a/><b/>", "<a b=1/>",
                          "<a>&amp</a>", "<1a/>", "<a><![CDATA[x</a>", "<a><!-- x</a>"}) {
    INFO(bad);
    CHECK_THROWS_AS(ParseXml(bad), XmlError);
  }
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "<a>";
  CHECK_THROWS_AS(ParseXml(deep), XmlError);
}

TEST_CASE("S3 response shapes", "[s3][xml]") {
  ListPage p = ParseListBucketResult(
      "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>b</Name><IsTruncated>true</IsTruncated>"
      "<NextContinuationToken>tok</NextContinuationToken><Contents><Key>a/x</Key><LastModified>2009-10-12T17:50:30.000Z"
      "</LastModified><ETag>&quot;abc&quot;</ETag><Size>434234</Size></Contents><CommonPrefixes><Prefix>a/d/</Prefix>"
      "</CommonPrefixes></ListBucketResult>");
  CHECK(p.truncated);
  CHECK(p.next_continuation_token == "tok");
  REQUIRE(p.result.objects.size() == 1);
  CHECK(p.result.objects[0].key == "a/x");
  CHECK(p.result.objects[0].size == 434234);
  CHECK(p.result.objects[0].etag == "abc");
  CHECK(p.result.objects[0].last_modified_unix == 1255369830);
  CHECK(p.result.common_prefixes == std::vector<std::string>{"a/d/"});
  CHECK_THROWS_AS(ParseListBucketResult("<ListBucketResult><Contents><Key>k</Key><Size>-1</Size></Contents>"
                                        "</ListBucketResult>"),
                  XmlError);
  CHECK_THROWS_AS(ParseListBucketResult("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>"),
                  XmlError);

  UploadsPage u = ParseListMultipartUploadsResult(
      "<ListMultipartUploadsResult><IsTruncated>false</IsTruncated><Upload><Key>k</Key><UploadId>id1</UploadId>"
      "<Initiated>2010-11-10T20:48:33.000Z</Initiated></Upload></ListMultipartUploadsResult>");
  REQUIRE(u.uploads.size() == 1);
  CHECK(u.uploads[0].upload_id == "id1");
  CHECK(ParseInitiateMultipartUploadResult(
            "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>XYZ</UploadId>"
            "</InitiateMultipartUploadResult>") == "XYZ");
  auto done = ParseCompleteMultipartUploadResult(
      "<CompleteMultipartUploadResult><ETag>\"e-2\"</ETag></CompleteMultipartUploadResult>");
  CHECK(done.etag == "e-2");
  CHECK_FALSE(done.error);
  auto failed = ParseCompleteMultipartUploadResult("<Error><Code>InternalError</Code><Message>m</Message></Error>");
  REQUIRE(failed.error);
  CHECK(failed.error->code == "InternalError");
  auto err = ParseErrorBody("<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code><Message>gone</Message>"
                            "<RequestId>R1</RequestId></Error>");
  REQUIRE(err);
  CHECK(err->code == "NoSuchBucket");
  CHECK(err->request_id == "R1");
  CHECK_FALSE(ParseErrorBody("not xml"));
  auto del = ParseDeleteResult("<DeleteResult><Deleted><Key>a</Key></Deleted><Error><Key>b</Key><Code>AccessDenied"
                               "</Code><Message>no</Message></Error></DeleteResult>");
  REQUIRE(del.size() == 1);
  CHECK(del[0].first == "b");
  StsCredentials sts = ParseAssumeRoleWithWebIdentityResponse(
      "<AssumeRoleWithWebIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
      "<AssumeRoleWithWebIdentityResult><Credentials><SessionToken>T</SessionToken><SecretAccessKey>S</SecretAccessKey>"
      "<Expiration>2026-12-07T18:00:00Z</Expiration><AccessKeyId>ASIAEXAMPLE</AccessKeyId></Credentials>"
      "</AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>");
  CHECK(sts.access_key_id == "ASIAEXAMPLE");
  CHECK(sts.session_token == "T");
  CHECK(sts.expiration_unix == 1796666400);
  CHECK_FALSE(ParseIso8601("2026-13-01T00:00:00Z"));
  CHECK_FALSE(ParseIso8601("2026-12-01 00:00:00Z"));
  CHECK(ParseIso8601("1970-01-01T00:00:01+00:00") == std::optional<int64_t>(1));
}

}  // namespace capstan::s3

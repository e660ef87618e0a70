#!/usr/bin/python3
"""Signs requests with botocore's S3SigV4Auth (the signer of Debian's awscli) for tests/s3/awscli_tool_test.cc.

Reads JSON lines {"method", "url", "headers": [[name, value]...], "body", "time": unix seconds, "key", "secret",
"token", "region"} from stdin and prints one line per request: the Authorization header botocore computes.
"""
import datetime
import json
import sys
from unittest import mock

sys.path.insert(0, "/usr/lib/python3/dist-packages/awscli")  # Debian's awscli vendors botocore there
import botocore.auth  # noqa: E402
import botocore.awsrequest  # noqa: E402
import botocore.credentials  # noqa: E402

for line in sys.stdin:
    r = json.loads(line)
    creds = botocore.credentials.Credentials(r["key"], r["secret"], r.get("token") or None)
    req = botocore.awsrequest.AWSRequest(method=r["method"], url=r["url"], data=r["body"].encode("utf-8"))
    for name, value in r["headers"]:
        req.headers[name] = value
    when = datetime.datetime.fromtimestamp(r["time"], datetime.timezone.utc)
    with mock.patch("botocore.auth.datetime") as dt:
        dt.datetime.utcnow.return_value = when.replace(tzinfo=None)
        dt.datetime.now.return_value = when
        botocore.auth.S3SigV4Auth(creds, "s3", r["region"]).add_auth(req)
    print(req.headers["Authorization"])

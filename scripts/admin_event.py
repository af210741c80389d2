"""The API Gateway HTTP API (payload 2.0) event of one admin request, as AWS_IAM authorization
delivers it: `requestContext.authorizer.iam` names the caller. Printed as JSON for
`scripts/admin.sh` (`make admin`), which sends it to the local function.

    python3 scripts/admin_event.py GET '/admin/users/?limit=10' arn:aws:iam::000000000000:user/me
"""

import json
import sys
import time
import urllib.parse


def event(method: str, target: str, caller_arn: str) -> dict:
    path, _, query = target.partition("?")
    params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
    account = caller_arn.split(":")[4] if caller_arn.count(":") >= 5 else "000000000000"
    return {
        "version": "2.0",
        # The raw path routes (the route key of a {id} route names no concrete path).
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "queryStringParameters": params or None,
        "headers": {"host": "localhost", "user-agent": "make-admin"},
        "requestContext": {
            "accountId": account,
            "apiId": "local",
            "authorizer": {
                "iam": {
                    "accessKey": "ASIALOCAL",
                    "accountId": account,
                    "callerId": "LOCAL",
                    "userArn": caller_arn,
                    "userId": "LOCAL",
                }
            },
            "domainName": "localhost",
            "domainPrefix": "localhost",
            "http": {
                "method": method.upper(),
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": "make-admin",
            },
            "requestId": f"make-admin-{time.time_ns()}",
            "routeKey": "$default",
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime()),
            "timeEpoch": int(time.time() * 1000),
        },
        "isBase64Encoded": False,
    }


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    print(json.dumps(event(*sys.argv[1:])))

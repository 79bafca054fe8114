#!/usr/bin/env python3
"""Credentials wherever jobs run: each source of the chain against a local endpoint started here.

docs/design.md "Credentials" is the contract. A small HTTP server on 127.0.0.1 answers as the documented
endpoints do (EC2 instance metadata with its IMDSv2 token check, the container credentials endpoint with its
Authorization check, the IAM Identity Center portal's GetRoleCredentials with its bearer token check) and passes
every other request on to moto_server, which serves STS AssumeRoleWithWebIdentity and the audit's and scan's
calls. The server notes which access key signed each request it passed on, so each check sees which source's
credentials `trailwatch audit` and `trailwatch scan s3://` actually used. Pointed at by the documented overrides:
AWS_EC2_METADATA_SERVICE_ENDPOINT, AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_SSO.

Also: the chain's order, the errors each source gives (named, never a secret), and item 4 of issue 15 (no region
configured, an endpoint URL without a scheme, a network failure shown as an error).

Skipped (exit 77) when moto_server is not installed."""
import gzip
import hashlib
import http.client
import http.server
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aws_moto import MotoMissing, MotoServer  # noqa: E402
from e2e_common import Suite, tail  # noqa: E402

SKIP = 77
ACCOUNT = "123456789012"
IMDS_TOKEN = "imds-session-token-e2e"
CONTAINER_TOKEN = "container-authorization-token-e2e"
SSO_TOKEN = "sso-access-token-e2e"


def expiration(seconds=3600):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + seconds))


def metadata_credentials(key_id):
    return {"Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": key_id, "SecretAccessKey": key_id + "-secret",
            "Token": key_id + "-token", "Expiration": expiration(), "LastUpdated": expiration(0)}


class Endpoints:
    """The documented endpoints, and a pass-through to moto that notes the signing key of each request."""

    def __init__(self, upstream):
        self.upstream = urllib.parse.urlsplit(upstream)
        self.lock = threading.Lock()
        self.log = []  # (method, path, headers dict lower-cased, body text)
        self.server = None

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.server.server_address[1]

    def clear(self):
        with self.lock:
            self.log = []

    def requests(self, prefix=""):
        with self.lock:
            return [r for r in self.log if r[1].startswith(prefix)]

    def signing_keys(self):
        """The access keys that signed the requests passed on to moto, in order."""
        keys = []
        for _, path, headers, _ in self.requests():
            m = re.search(r"Credential=([A-Z0-9a-z]+)/", headers.get("authorization", ""))
            if m and not path.startswith(("/latest/", "/container/", "/federation/")):
                keys.append(m.group(1))
        return keys

    def __enter__(self):
        endpoints = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _reply(self, status, body=b"", content_type="application/json", headers=()):
                if isinstance(body, str):
                    body = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for k, v in headers:
                    self.send_header(k, v)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                with endpoints.lock:
                    endpoints.log.append((self.command, self.path, headers, body.decode("utf-8", "replace")))
                path = urllib.parse.urlsplit(self.path).path
                # EC2 instance metadata, IMDSv2: a token from PUT, required on every GET.
                if path == "/latest/api/token":
                    if self.command != "PUT":
                        return self._reply(405)
                    if not headers.get("x-aws-ec2-metadata-token-ttl-seconds"):
                        return self._reply(400)
                    return self._reply(200, IMDS_TOKEN, "text/plain")
                if path.startswith("/latest/meta-data/iam/security-credentials/"):
                    if headers.get("x-aws-ec2-metadata-token") != IMDS_TOKEN:
                        return self._reply(401)
                    role = path[len("/latest/meta-data/iam/security-credentials/"):]
                    if not role:
                        return self._reply(200, "e2e-instance-role", "text/plain")
                    if role != "e2e-instance-role":
                        return self._reply(404)
                    return self._reply(200, json.dumps(metadata_credentials("ASIAIMDSE2E")))
                # The container credentials endpoint (ECS, EKS Pod Identity, Batch).
                if path == "/container/credentials":
                    if headers.get("authorization") != CONTAINER_TOKEN:
                        return self._reply(401, json.dumps({"Message": "authorization token mismatch"}))
                    return self._reply(200, json.dumps(metadata_credentials("ASIACONTAINERE2E")))
                # IAM Identity Center portal: GetRoleCredentials.
                if path == "/federation/credentials":
                    query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
                    if headers.get("x-amz-sso_bearer_token") != SSO_TOKEN:
                        return self._reply(401, json.dumps({"message": "Session token not found or invalid"}))
                    if query.get("role_name") != ["ReadOnly"] or query.get("account_id") != [ACCOUNT]:
                        return self._reply(403, json.dumps({"message": "No access"}))
                    return self._reply(200, json.dumps({"roleCredentials": {
                        "accessKeyId": "ASIASSOE2E", "secretAccessKey": "sso-secret", "sessionToken": "sso-token",
                        "expiration": int((time.time() + 3600) * 1000)}}))
                # Anything else is AWS: moto answers.
                conn = http.client.HTTPConnection(endpoints.upstream.hostname, endpoints.upstream.port, timeout=60)
                forward = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                conn.request(self.command, self.path, body=body, headers=forward)
                answer = conn.getresponse()
                data = answer.read()
                conn.close()
                self.send_response(answer.status)
                for k, v in answer.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length", "server", "date"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = _handle

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        return False


def closed_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    s = Suite(__doc__.splitlines()[0])
    try:
        moto = MotoServer().start()
    except MotoMissing as e:
        print("SKIP: %s" % e)
        return SKIP
    home = os.path.join(s.tmp, "home")
    os.makedirs(home)

    def env(**extra):
        """No credentials, no profile files, no region: each check adds what its source needs."""
        e = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        e.update({"HOME": home, "AWS_CONFIG_FILE": os.path.join(home, "config"),
                  "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "credentials"),
                  "AWS_EC2_METADATA_DISABLED": "true", "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"})
        for k, v in extra.items():
            if v is None:
                e.pop(k, None)
            else:
                e[k] = v
        return e

    def write(name, text):
        path = os.path.join(home, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    def run(args, environment, label, timeout=120):
        began = time.time()
        try:
            proc = subprocess.run([s.binary] + args, env=environment, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
        except subprocess.TimeoutExpired:
            s.check(False, "%s: finishes within %ds" % (label, timeout))
            return None, "", None
        print("  ran: %s -> exit %d in %.2fs" % (" ".join(args), proc.returncode, time.time() - began))
        err = proc.stderr.decode("utf-8", "replace")
        try:
            doc = json.loads(proc.stdout.decode("utf-8")) if proc.stdout.strip() else None
        except ValueError:
            doc = None
        return proc, err, doc

    try:
        with Endpoints(moto.endpoint) as ep:
            audit = ["audit", "--region", "us-east-1", "--format", "json", "--endpoint-url", ep.url]

            def audited_with(label, environment, key_id, expect_stderr=None):
                """The audit ran against moto (an empty account: FAIL, exit 1), every call signed with key_id."""
                ep.clear()
                proc, err, doc = run(audit, environment, label)
                if proc is None:
                    return False
                ok = s.check(proc.returncode == 1 and doc and doc.get("schema") == "trailwatch.audit/1",
                             "%s: the audit ran (exit 1, FAIL: moto's account has no trail)" % label,
                             "exit %d\nstderr: %s" % (proc.returncode, tail(err.encode())))
                keys = ep.signing_keys()
                s.check(keys and set(keys) == {key_id}, "%s: every call signed with %s" % (label, key_id),
                        "signing keys seen: %r" % sorted(set(keys)))
                if expect_stderr:
                    s.check(expect_stderr in err, "%s: stderr says %r" % (label, expect_stderr), err)
                return ok

            # ---- container credentials -------------------------------------------------------------------------
            full_uri = ep.url + "/container/credentials"
            audited_with("container FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN",
                         env(AWS_CONTAINER_CREDENTIALS_FULL_URI=full_uri,
                             AWS_CONTAINER_AUTHORIZATION_TOKEN=CONTAINER_TOKEN), "ASIACONTAINERE2E")
            asked = ep.requests("/container/")
            s.check(len(asked) == 1 and asked[0][2].get("authorization") == CONTAINER_TOKEN
                    and asked[0][2].get("accept") == "application/json",
                    "container: one GET with the token as Authorization and Accept: application/json",
                    repr([r[2] for r in asked]))
            token_file = write("eks-pod-identity-token", CONTAINER_TOKEN + "\n")
            audited_with("container FULL_URI + AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (EKS Pod Identity)",
                         env(AWS_CONTAINER_CREDENTIALS_FULL_URI=full_uri,
                             AWS_CONTAINER_AUTHORIZATION_TOKEN="stale-token",
                             AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=token_file), "ASIACONTAINERE2E")
            ep.clear()
            proc, err, _ = run(audit, env(AWS_CONTAINER_CREDENTIALS_FULL_URI=full_uri,
                                          AWS_CONTAINER_AUTHORIZATION_TOKEN="wrong-token"), "container, wrong token")
            s.check(proc is not None and proc.returncode == 2 and "ContainerCredentialsError" in err
                    and "HTTP 401" in err and "wrong-token" not in err,
                    "container, wrong token: exit 2, the error names the endpoint's refusal, not the token", err)
            s.check(len(ep.requests("/container/")) == 1, "container: a refused token is not tried again",
                    repr(len(ep.requests("/container/"))))

            # ---- EC2 instance metadata ---------------------------------------------------------------------------
            imds = env(AWS_EC2_METADATA_DISABLED=None, AWS_EC2_METADATA_SERVICE_ENDPOINT=ep.url + "/")
            if audited_with("EC2 instance metadata (IMDSv2)", imds, "ASIAIMDSE2E"):
                md = ep.requests("/latest/")
                s.equal([(m, p) for m, p, _, _ in md],
                        [("PUT", "/latest/api/token"), ("GET", "/latest/meta-data/iam/security-credentials/"),
                         ("GET", "/latest/meta-data/iam/security-credentials/e2e-instance-role")],
                        "IMDS: the token first, then the role, then its credentials")
                s.check(md and md[0][2].get("x-aws-ec2-metadata-token-ttl-seconds") == "21600"
                        and all(h.get("x-aws-ec2-metadata-token") == IMDS_TOKEN for _, _, h, _ in md[1:]),
                        "IMDS: the token asked with a TTL and sent with every GET", repr([h for _, _, h, _ in md]))
            ep.clear()
            proc, err, _ = run(audit, env(AWS_EC2_METADATA_SERVICE_ENDPOINT=ep.url), "IMDS disabled")
            s.check(proc is not None and proc.returncode == 2 and "NoCredentials" in err
                    and "AWS_EC2_METADATA_DISABLED is true" in err and not ep.requests("/latest/"),
                    "AWS_EC2_METADATA_DISABLED=true: the service is never asked; NoCredentials names every place "
                    "looked in", err)
            # Off EC2: nothing answers at the metadata address; the run must not hang.
            began = time.time()
            proc, err, _ = run(audit, env(AWS_EC2_METADATA_DISABLED=None,
                                          AWS_EC2_METADATA_SERVICE_ENDPOINT="http://127.0.0.1:%d" % closed_port()),
                               "no instance metadata service")
            s.check(proc is not None and proc.returncode == 2 and "EC2 instance metadata (no answer from" in err
                    and time.time() - began < 15,
                    "no metadata service: NoCredentials within seconds, saying nothing answered", err)

            # ---- web identity (STS AssumeRoleWithWebIdentity, served by moto) --------------------------------
            jwt = "eyJhbGciOiJSUzI1NiJ9.e2e-web-identity.signature"
            web_token = write("eks/token", jwt)
            role = "arn:aws:iam::%s:role/eks-trailwatch" % ACCOUNT
            web = env(AWS_WEB_IDENTITY_TOKEN_FILE=web_token, AWS_ROLE_ARN=role, AWS_ROLE_SESSION_NAME="pod-e2e")
            ep.clear()
            proc, err, doc = run(audit, web, "web identity via --endpoint-url")
            calls = [r for r in ep.requests() if "AssumeRoleWithWebIdentity" in r[3]]
            if s.check(proc is not None and proc.returncode == 1 and len(calls) == 1,
                       "web identity: one AssumeRoleWithWebIdentity, then the audit ran (exit 1)",
                       "exit %s\n%s" % (proc and proc.returncode, err)):
                form = urllib.parse.parse_qs(calls[0][3])
                s.check(form.get("RoleArn") == [role] and form.get("RoleSessionName") == ["pod-e2e"]
                        and form.get("WebIdentityToken") == [jwt] and "authorization" not in calls[0][2],
                        "web identity: unsigned, with the role, the session name and the token file's content",
                        repr(form))
                keys = set(ep.signing_keys())
                s.check(len(keys) == 1 and next(iter(keys)).startswith(("ASIA", "FSIA")),
                        "web identity: every call signed with the temporary key STS gave", repr(keys))
            # AWS_ENDPOINT_URL_STS sends STS (only) to our server; AWS_ENDPOINT_URL the rest to moto directly.
            ep.clear()
            proc, err, doc = run(["audit", "--region", "us-east-1", "--format", "json"],
                                 env(AWS_WEB_IDENTITY_TOKEN_FILE=web_token, AWS_ROLE_ARN=role,
                                     AWS_ENDPOINT_URL=moto.endpoint, AWS_ENDPOINT_URL_STS=ep.url),
                                 "web identity via AWS_ENDPOINT_URL_STS")
            seen = ep.requests()
            s.check(proc is not None and proc.returncode == 1
                    and any("AssumeRoleWithWebIdentity" in r[3] for r in seen)
                    and all("sts" in r[2].get("authorization", "/sts/") for r in seen),
                    "AWS_ENDPOINT_URL_STS: STS calls go there, the audit's others to AWS_ENDPOINT_URL",
                    "exit %s, %s\n%s" % (proc and proc.returncode, [r[3][:60] for r in seen], err))
            ep.clear()
            proc, err, _ = run(audit, env(AWS_WEB_IDENTITY_TOKEN_FILE=web_token), "web identity without a role")
            s.check(proc is not None and proc.returncode == 2 and "WebIdentityError" in err and "AWS_ROLE_ARN" in err
                    and not ep.requests(), "web identity without AWS_ROLE_ARN: exit 2 naming it, nothing sent", err)

            # ---- IAM Identity Center ----------------------------------------------------------------------------
            write("config", "[profile dev]\nsso_session = corp\nsso_account_id = %s\nsso_role_name = ReadOnly\n"
                            "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"
                            "sso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n" % ACCOUNT)
            cache = os.path.join("sso", "cache", hashlib.sha1(b"corp").hexdigest() + ".json")
            write(os.path.join(".aws", cache), json.dumps({
                "startUrl": "https://corp.awsapps.com/start", "region": "eu-west-1", "accessToken": SSO_TOKEN,
                "expiresAt": expiration(3600), "clientId": "x", "clientSecret": "y"}))
            sso_env = env(AWS_ENDPOINT_URL_SSO=ep.url)
            ep.clear()
            proc, err, _ = run(audit + ["--profile", "dev"], sso_env, "Identity Center profile")
            portal = ep.requests("/federation/")
            s.check(proc is not None and proc.returncode == 1 and len(portal) == 1
                    and portal[0][2].get("x-amz-sso_bearer_token") == SSO_TOKEN
                    and set(ep.signing_keys()) == {"ASIASSOE2E"},
                    "Identity Center: the cached token of sso-session corp traded at the portal; calls signed with "
                    "the role's key", "exit %s\n%s\n%r" % (proc and proc.returncode, err, set(ep.signing_keys())))
            write(os.path.join(".aws", cache), json.dumps({"accessToken": SSO_TOKEN, "expiresAt": expiration(-60)}))
            ep.clear()
            proc, err, _ = run(audit + ["--profile", "dev"], sso_env, "Identity Center, expired sign-in")
            s.check(proc is not None and proc.returncode == 2 and "SsoTokenExpired" in err
                    and "aws sso login --profile dev" in err and not ep.requests() and SSO_TOKEN not in err,
                    "Identity Center, sign-in expired: exit 2 telling to run `aws sso login --profile dev`; "
                    "the portal is not asked", err)
            os.remove(os.path.join(home, "config"))

            # ---- the order ----------------------------------------------------------------------------------------
            everything = env(AWS_ACCESS_KEY_ID="AKIAENVE2E", AWS_SECRET_ACCESS_KEY="env-secret",
                             AWS_CONTAINER_CREDENTIALS_FULL_URI=full_uri,
                             AWS_CONTAINER_AUTHORIZATION_TOKEN=CONTAINER_TOKEN,
                             AWS_EC2_METADATA_DISABLED=None, AWS_EC2_METADATA_SERVICE_ENDPOINT=ep.url)
            audited_with("order: environment keys first", everything, "AKIAENVE2E")
            s.check(not ep.requests("/container/") and not ep.requests("/latest/"),
                    "order: with environment keys, neither the container nor the instance is asked")
            write("credentials", "[default]\naws_access_key_id = AKIAFILEE2E\naws_secret_access_key = s\n")
            no_env = dict(everything)
            del no_env["AWS_ACCESS_KEY_ID"], no_env["AWS_SECRET_ACCESS_KEY"]
            audited_with("order: the default profile before the container", no_env, "AKIAFILEE2E")
            no_env_web = dict(no_env, AWS_WEB_IDENTITY_TOKEN_FILE=web_token, AWS_ROLE_ARN=role)
            ep.clear()
            run(audit, no_env_web, "order: web identity before the default profile")
            s.check(any("AssumeRoleWithWebIdentity" in r[3] for r in ep.requests())
                    and "AKIAFILEE2E" not in ep.signing_keys(),
                    "order: web identity before the default profile's keys", repr(set(ep.signing_keys())))
            os.remove(os.path.join(home, "credentials"))
            audited_with("order: the container before the instance", no_env, "ASIACONTAINERE2E")
            s.check(not ep.requests("/latest/"), "order: the instance is not asked when the container answers")

            # ---- scan s3:// uses the same chain ------------------------------------------------------------------
            try:
                s3 = moto.client("s3", "us-east-1")
            except ImportError:
                s3 = None
                s.note("boto3 is not installed: the scan s3:// check is skipped")
            if s3 is not None:
                s3.create_bucket(Bucket="creds-bucket")
                record = {"eventVersion": "1.08", "eventTime": "2026-01-01T00:01:00Z",
                          "eventSource": "kms.amazonaws.com", "eventName": "DisableKey", "awsRegion": "us-east-1",
                          "recipientAccountId": ACCOUNT}
                key = ("AWSLogs/%s/CloudTrail/us-east-1/2026/01/01/%s_CloudTrail_us-east-1_20260101T0005Z_abc.json.gz"
                       % (ACCOUNT, ACCOUNT))
                s3.put_object(Bucket="creds-bucket", Key=key,
                              Body=gzip.compress(json.dumps({"Records": [record]}).encode()))
                ep.clear()
                proc, err, doc = run(["scan", "--format", "json", "--no-progress", "--endpoint-url", ep.url,
                                      "s3://creds-bucket/AWSLogs"],
                                     env(AWS_CONTAINER_CREDENTIALS_FULL_URI=full_uri,
                                         AWS_CONTAINER_AUTHORIZATION_TOKEN=CONTAINER_TOKEN), "scan s3:// container")
                s.check(proc is not None and proc.returncode == 0 and doc and doc["input"]["files"] == 1
                        and doc["rules"][0]["matched_events"] == 1,
                        "scan s3:// with container credentials: the object is read and matched",
                        "exit %s\n%s" % (proc and proc.returncode, err))
                s.check(set(ep.signing_keys()) == {"ASIACONTAINERE2E"} and len(ep.requests("/container/")) == 1,
                        "scan s3://: every S3 request signed with the container's key, asked once",
                        repr((set(ep.signing_keys()), len(ep.requests("/container/")))))

            # ---- item 4: what surprised a new user ----------------------------------------------------------------
            keys = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
            proc, err, _ = run(["audit", "--format", "json", "--endpoint-url", moto.endpoint], env(**keys),
                               "no region")
            s.check(proc is not None and proc.returncode == 64 and "no region to audit" in err
                    and "--region" in err and "AWS_REGION" in err,
                    "no region configured: usage error (64) saying how to give one, never a silent us-east-1", err)
            proc, err, doc = run(["audit", "--format", "json", "--endpoint-url", moto.endpoint],
                                 env(AWS_DEFAULT_REGION="eu-west-2", **keys), "region from AWS_DEFAULT_REGION")
            s.check(proc is not None and doc and [r["region"] for r in doc["regions"]] == ["eu-west-2"]
                    and "auditing eu-west-2, the region from AWS_DEFAULT_REGION" in err,
                    "a configured region is audited and stderr says where it came from", err)
            write("config", "[profile west]\nregion = us-west-2\n")
            proc, err, doc = run(["audit", "--format", "json", "--endpoint-url", moto.endpoint],
                                 env(AWS_PROFILE="west", **keys), "region from the profile")
            s.check(proc is not None and doc and [r["region"] for r in doc["regions"]] == ["us-west-2"]
                    and "the region from profile 'west' in " in err,
                    "the profile's region is audited, and stderr names the profile and file", err)
            os.remove(os.path.join(home, "config"))
            proc, err, _ = run(["audit", "--region", "us-east-1", "--endpoint-url", "localhost:4566"], env(**keys),
                               "endpoint without scheme")
            s.check(proc is not None and proc.returncode == 64
                    and "'localhost:4566' has no scheme: give http://localhost:4566 or https://localhost:4566" in err,
                    "audit --endpoint-url localhost:4566: usage error asking for the scheme", err)
            proc, err, doc = run(["scan", "--format", "json", "--no-progress", "--endpoint-url", "localhost:4566",
                                  "s3://creds-bucket/AWSLogs"], env(**keys), "scan endpoint without scheme")
            # A usage error before any work, as audit's (issue 14): not an input error in the report.
            s.check(proc is not None and proc.returncode == 64 and not doc
                    and "'localhost:4566' has no scheme: give http://localhost:4566" in err,
                    "scan --endpoint-url localhost:4566: the argument's error asks for the scheme",
                    "%s\n%s" % (err, doc and doc["input"]["errors"]))
            proc, err, doc = run(["audit", "--region", "us-east-1", "--format", "json", "--endpoint-url",
                                  "http://127.0.0.1:%d" % closed_port()], env(**keys), "network failure")
            finding = doc["regions"][0]["findings"][0] if doc and doc.get("regions") else {}
            s.check(proc is not None and proc.returncode == 2 and doc["regions"][0]["status"] == "ERROR"
                    and finding.get("status") == "ERROR" and "network error" in finding.get("detail", ""),
                    "a network failure: region ERROR, its finding ERROR ('network error'), not FAIL; exit 2",
                    repr(doc))
            proc, err, _ = run(["audit", "--region", "us-east-1", "--format", "table", "--endpoint-url",
                                "http://127.0.0.1:%d" % closed_port()], env(**keys), "network failure, table")
            table = proc.stdout.decode() if proc is not None else ""
            s.check(re.search(r"^  ERROR +trail +network error", table, re.M)
                    and not re.search(r"^  FAIL ", table, re.M),
                    "a network failure in the table: an ERROR line, no FAIL line", table)
    finally:
        moto.stop()
    return s.finish()


if __name__ == "__main__":
    sys.exit(main())

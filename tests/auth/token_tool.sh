#!/bin/sh
# A token from the openssl one-liner of auth/README.md verifies with rtd-token, a tampered one
# does not, and PyJWT (python3-jwt) accepts what rtd-token issues. Needs RTD_TOKEN.
set -eu

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
umask 077
printf 'rtd-test-secret-0123456789abcdef!\n' > "$dir/secret"
unset RTD_JWT_SECRET

fail() { echo "token_tool.sh: $*" >&2; exit 1; }

# The one-liner, as documented (secret from the file, trailing newline dropped).
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
exp=$(($(date +%s) + 600))
header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
payload=$(printf '{"sub":"alice","roles":["admin"],"exp":%s}' "$exp" | b64url)
signature=$(printf '%s' "$header.$payload" |
  openssl dgst -sha256 -binary -hmac "$(cat "$dir/secret")" | b64url)
token="$header.$payload.$signature"

verdict=$(printf '%s\n' "$token" | "$RTD_TOKEN" --verify --secret-file="$dir/secret") ||
  fail "one-liner token refused"
[ "$verdict" = "valid: sub=alice roles=admin exp=$exp" ] || fail "unexpected verdict: $verdict"

forged_payload=$(printf '{"sub":"mallory","roles":["admin"],"exp":%s}' "$exp" | b64url)
if printf '%s\n' "$header.$forged_payload.$signature" |
  "$RTD_TOKEN" --verify --secret-file="$dir/secret" 2> "$dir/err"; then
  fail "tampered token accepted"
fi
grep -qx 'rejected: bad signature' "$dir/err" || fail "tampered token: $(cat "$dir/err")"

issued=$("$RTD_TOKEN" --secret-file="$dir/secret" --sub=bob --roles=analyst,admin --ttl=60)
/usr/bin/python3 - "$dir/secret" "$issued" <<'PY' || fail "PyJWT refused rtd-token's token"
import sys, jwt
secret = open(sys.argv[1]).read().rstrip("\r\n")
claims = jwt.decode(sys.argv[2], secret, algorithms=["HS256"])
assert claims["sub"] == "bob" and claims["roles"] == ["analyst", "admin"], claims
assert claims["exp"] - claims["iat"] == 60, claims
PY
echo "token_tool.sh: ok"

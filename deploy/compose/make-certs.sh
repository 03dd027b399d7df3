#!/usr/bin/env bash
# Test certificates and trial secrets for the docker-compose stack. For trials with invented patients only: a real
# deployment gets its certificates from the trust's own CA and its secrets from its secret store.
#
#   deploy/compose/make-certs.sh [OUTPUT_DIR]        (default: deploy/compose/secrets, ignored by git)
#
# Writes, with the JDK's keytool and coreutils only:
#   ca.crt, ca.p12                  a test CA (ca.p12 keeps its key, to issue more certificates)
#   ca-trust.p12                    the CA as a PKCS#12 trust store: the listener trusts clients it issued, and
#                                   senders trust the listener
#   mllp-server.p12                 the MLLP listener's key and certificate (names localhost, 127.0.0.1, the
#                                   compose services mllp, ingest-a, ingest-b, and MLLP_SERVER_SAN if set)
#   hospital-client.p12             a client certificate for an invented hospital's interface engine (sends RHMX1)
#   gp-client.p12                   a client certificate for an invented GP practice system (sends B86001)
#   *.crt                           each certificate in PEM, for inspection (openssl x509 -text -in ...)
#   mllp-allowlist.txt              which facility (MSH-4) each client certificate may send for
#   api-tokens.txt, clinician.token the API's tokens file (hashes only) and one clinician token in clear
#   admin.token                     the admin token (the API's /metrics, Prometheus' scrape credential)
#   database.env, mllp-tls.env,     passwords for docker compose's env_file, one file per group so that each
#   pseudonym.env                   container gets only its own: the database password, the MLLP key and trust
#                                   store passwords, the pseudonymisation key
#   client-store.password           the client key stores' password (for careweave send --key-store-password)
#
# Running it again replaces everything (new CA, new passwords); recreate the stack afterwards.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/secrets}"
days="${CERT_VALIDITY_DAYS:-365}"

keytool_bin="keytool"
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/keytool" ]; then
    keytool_bin="$JAVA_HOME/bin/keytool"
fi
if ! command -v "$keytool_bin" >/dev/null; then
    echo "make-certs: keytool not found (install a JDK or set JAVA_HOME)" >&2
    exit 2
fi

# 24 random bytes as hex: enough for a password, and no character that needs quoting in an env file.
random_hex() {
    head -c "$1" /dev/urandom | od -An -v -tx1 | tr -d ' \n'
}

mkdir -p "$out"
cd "$out"
rm -f ./*.p12 ./*.crt ./*.csr ./*.pem ./*.env ./*.token ./*.password mllp-allowlist.txt api-tokens.txt

store_password="$(random_hex 24)"
trust_password="$(random_hex 24)"
ca_password="$(random_hex 24)"

# keytool's chatter is shown only when it fails.
kt() {
    local log
    if ! log="$("$keytool_bin" "$@" 2>&1)"; then
        echo "$log" >&2
        return 1
    fi
}

echo "make-certs: test CA"
kt -genkeypair -alias ca -keyalg EC -groupname secp256r1 -validity "$days" \
    -dname "CN=careweave trial CA,O=Invented Trust,C=GB" \
    -ext bc:c=ca:true,pathlen:0 -ext ku:c=keyCertSign,cRLSign \
    -keystore ca.p12 -storetype PKCS12 -storepass "$ca_password"
kt -exportcert -rfc -alias ca -keystore ca.p12 -storepass "$ca_password" -file ca.crt
kt -importcert -noprompt -alias careweave-trial-ca -file ca.crt \
    -keystore ca-trust.p12 -storetype PKCS12 -storepass "$trust_password"

# issue NAME DN EXTENDED_KEY_USAGE [SUBJECT_ALTERNATIVE_NAMES]: a key pair in NAME.p12 with a certificate chain
# (certificate, CA) signed by the test CA.
issue() {
    local name="$1" dn="$2" eku="$3" san="${4:-}"
    kt -genkeypair -alias "$name" -keyalg EC -groupname secp256r1 -validity "$days" -dname "$dn" \
        -keystore "$name.p12" -storetype PKCS12 -storepass "$store_password"
    kt -certreq -alias "$name" -keystore "$name.p12" -storepass "$store_password" -file "$name.csr"
    local extensions=(-ext "eku=$eku" -ext "ku=digitalSignature")
    if [ -n "$san" ]; then
        extensions+=(-ext "san=$san")
    fi
    kt -gencert -rfc -alias ca -keystore ca.p12 -storepass "$ca_password" -validity "$days" \
        "${extensions[@]}" -infile "$name.csr" -outfile "$name.crt"
    cat "$name.crt" ca.crt > "$name-chain.pem"
    kt -importcert -noprompt -alias "$name" -file "$name-chain.pem" -keystore "$name.p12" -storepass "$store_password"
    rm -f "$name.csr" "$name-chain.pem"
}

hospital_dn="CN=Trial hospital interface engine,O=Invented Trust,C=GB"
gp_dn="CN=Trial GP practice system,O=Invented Practice,C=GB"

echo "make-certs: MLLP listener certificate"
# Senders elsewhere connect by this host's name: add it, e.g. MLLP_SERVER_SAN=dns:careweave-trial.example.nhs.uk
issue mllp-server "CN=careweave MLLP,O=Invented Trust,C=GB" serverAuth \
    "dns:localhost,ip:127.0.0.1,dns:mllp,dns:ingest-a,dns:ingest-b${MLLP_SERVER_SAN:+,$MLLP_SERVER_SAN}"
echo "make-certs: client certificates"
issue hospital-client "$hospital_dn" clientAuth
issue gp-client "$gp_dn" clientAuth

cat > mllp-allowlist.txt <<ALLOWLIST
# <certificate subject DN> = FACILITY[, FACILITY]   (* = any)
# A client may send only for the facilities (MSH-4) listed after its certificate's subject.
$hospital_dn = RHMX1
$gp_dn = B86001
ALLOWLIST

echo "make-certs: API tokens"
clinician_token="$(random_hex 32)"
admin_token="$(random_hex 32)"
printf '%s\n' "$clinician_token" > clinician.token
printf '%s\n' "$admin_token" > admin.token
{
    echo "# careweave API tokens: <sha256-hex> <role> <subject>"
    echo "$(printf '%s' "$clinician_token" | sha256sum | cut -d' ' -f1) clinician Trial clinician (RHMX1)"
} > api-tokens.txt

# One env file per secret group, so that each container gets only what its component needs.
database_password="$(random_hex 24)"
cat > database.env <<DATABASE
# Generated by make-certs.sh, trial use only: PostgreSQL, the registry's datasource, the sink and the API.
POSTGRES_PASSWORD=$database_password
REGISTRY_DATASOURCE_PASSWORD=$database_password
CAREWEAVE_JDBC_PASSWORD=$database_password
DATABASE
cat > mllp-tls.env <<MLLP_TLS
# Generated by make-certs.sh, trial use only: the ingest instances' key and trust store passwords.
CAREWEAVE_MLLP_TLS_KEY_STORE_PASSWORD=$store_password
CAREWEAVE_MLLP_TLS_TRUST_STORE_PASSWORD=$trust_password
MLLP_TLS
cat > pseudonym.env <<PSEUDONYM
# Generated by make-certs.sh, trial use only: the processors' key for secondary-use pseudonyms.
CAREWEAVE_SECONDARY_PSEUDONYM_KEY=$(random_hex 32)
PSEUDONYM
printf '%s\n' "$store_password" > client-store.password

# The containers run as uid 10001 (careweave) or another unprivileged user (Prometheus) and read the files compose
# mounts from here; what they never need (the CA's key, the clinician token, the passwords) stays private.
chmod 644 ./*.p12 ca.crt mllp-allowlist.txt api-tokens.txt admin.token
chmod 600 ca.p12 clinician.token client-store.password ./*.env
echo "make-certs: written to $out"

#!/bin/sh
# Runs the chaincode as a service (ccaas): the peer dials CHAINCODE_SERVER_ADDRESS, as named in the
# package's connection.json; CHAINCODE_ID is the package ID that `peer lifecycle chaincode install` printed.
# fabric-chaincode-node comes from this package's node_modules/.bin (`npm run start:server` puts it on PATH).
set -eu
: "${CHAINCODE_SERVER_ADDRESS:?set CHAINCODE_SERVER_ADDRESS, e.g. 0.0.0.0:9999}"
: "${CHAINCODE_ID:?set CHAINCODE_ID to the installed package ID (label:hash)}"
cd "$(dirname "$0")"
exec fabric-chaincode-node server \
  --chaincode-address="$CHAINCODE_SERVER_ADDRESS" \
  --chaincode-id="$CHAINCODE_ID" \
  --module-path="$PWD"

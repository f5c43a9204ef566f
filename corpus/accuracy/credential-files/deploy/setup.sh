#!/bin/sh
set -eu
mysql -u root -pKq8!vL2zx shop < db/dump.sql
docker login --password 'h7Vw-2pLq9' registry.shop.net
docker login --password-stdin registry.shop.net < /run/secrets/registry
mysql -u root -p shop

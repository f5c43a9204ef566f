#!/usr/bin/env bash
set -euo pipefail

export VAULT_ADDR=https://vault.corp.internal:8200
export VAULT_TOKEN=hvs.Hu6iweAoZ0bO5TjTRl2BLGCF
export TF_TOKEN_app_terraform_io=GRPXBD7TKPQu08.atlasv1.VwR0xB_Cc40rCFujfspIn7WuWY05ZzGl4ePfLzkkBg00RN_rYqA_UywhKyrhYkWaeiT
export DOPPLER_TOKEN=dp.st.prd.nLrp3w78GP3xXwbR0gsSBDZJil5n2nrQnMqCVClD
export DIGEST=sha512-cedLx04I9tLKQQ/WNxDDPROoDcGMF+Q/+d/NhY852Mib9uC19vxQIA4D4v4VKvM16YjIAUv+cmJhkgyQzI8xqA==
export PULUMI_ACCESS_TOKEN="${PULUMI_ACCESS_TOKEN:?set it}"

vault kv get -field=password secret/orders/db > /dev/null
terraform apply -auto-approve

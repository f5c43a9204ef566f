import os

import sentry_sdk
from datadog import initialize

sentry_sdk.init(dsn=os.environ["SENTRY_DSN"], traces_sample_rate=0.2)

initialize(
    api_key=os.environ["DD_API_KEY"],
    app_key=os.environ.get("DD_APP_KEY"),
)

NEW_RELIC_LICENSE_KEY = "06ad4dbddf9c22c67e71d26ad20fa62092b5NRAL"
GRAFANA_TOKEN = "glsa_pOLyN54pYOTMyOBJBdMmF9VkHyw15i7G_ee18a291"
PAGERDUTY_ROUTING_KEY = "c2bd195dbeb8b47982c1e5f45dd44ec5"
# build metadata, not secrets
BUILD_SHA = "9a79d9a12866e0c0e40223d34442750e23e3f591"
ASSET_DIGEST = "sha256:a9f29b78b5ccc34eac8b0915695990a0022d1dbd9b6d47c1fd42471b68fec335"
REQUEST_ID = "d19c768b-0756-4dec-9b7e-3fa72911a3f3"
